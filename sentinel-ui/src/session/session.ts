import { computed, ref } from 'vue'

/** What the console keeps of a login. */
export interface StoredSession {
  token: string
  expiresAt: string
}

const STORAGE_KEY = 'sentinel.admin.session'

/**
 * The admin session: the token lives in memory and in `sessionStorage`, so it survives a
 * reload of the tab but not the tab itself, and no other tab or later visit can read it.
 * It is never written to `localStorage`.
 */
export function createSession(storage: Storage | undefined, now: () => number = () => Date.now()) {
  const current = ref<StoredSession | null>(read())

  function read(): StoredSession | null {
    try {
      const text = storage?.getItem(STORAGE_KEY)
      if (!text) {
        return null
      }
      const parsed: unknown = JSON.parse(text)
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as StoredSession).token === 'string' &&
        typeof (parsed as StoredSession).expiresAt === 'string'
      ) {
        return parsed as StoredSession
      }
    } catch {
      // A damaged entry is no session.
    }
    storage?.removeItem(STORAGE_KEY)
    return null
  }

  function expired(session: StoredSession): boolean {
    const at = Date.parse(session.expiresAt)
    return Number.isNaN(at) || at <= now()
  }

  /** The token to send, or null when there is none or it has expired. */
  function token(): string | null {
    const session = current.value
    if (session === null) {
      return null
    }
    if (expired(session)) {
      signOut()
      return null
    }
    return session.token
  }

  function signIn(session: StoredSession): void {
    current.value = { token: session.token, expiresAt: session.expiresAt }
    storage?.setItem(STORAGE_KEY, JSON.stringify(current.value))
  }

  function signOut(): void {
    current.value = null
    storage?.removeItem(STORAGE_KEY)
  }

  const signedIn = computed(() => current.value !== null && !expired(current.value))
  const expiresAt = computed(() => current.value?.expiresAt ?? null)

  return { token, signIn, signOut, signedIn, expiresAt }
}

/** The session type, as created by {@link createSession}. */
export type Session = ReturnType<typeof createSession>

/** The console's one session. */
export const session: Session = createSession(
  typeof window === 'undefined' ? undefined : window.sessionStorage,
)
