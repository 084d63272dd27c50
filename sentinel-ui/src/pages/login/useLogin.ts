import { onScopeDispose, ref } from 'vue'

import { ApiError } from '@/api/http'
import { login } from '@/api/session'
import { session } from '@/session/session'
import { createLockout } from './lockout'
import type { LoginNotice } from './types'

/** Seconds to wait when a 429 carries no usable Retry-After. */
const FALLBACK_LOCKOUT_SECONDS = 60

/**
 * Logs the admin in. A 429 locks the form and counts down the time the server gave in
 * `Retry-After`; the right password does not help before it ends.
 */
export function useLogin(initial: LoginNotice = { kind: 'none' }) {
  const notice = ref<LoginNotice>(initial)
  const submitting = ref(false)
  const lockout = createLockout()
  let timer: ReturnType<typeof setInterval> | null = null

  function stopTimer() {
    if (timer !== null) {
      clearInterval(timer)
      timer = null
    }
  }

  function tick() {
    const secondsLeft = lockout.secondsLeft()
    if (secondsLeft > 0) {
      notice.value = { kind: 'locked', secondsLeft }
      return
    }
    stopTimer()
    lockout.clear()
    notice.value = { kind: 'unlocked' }
  }

  function lock(seconds: number) {
    lockout.lock(seconds)
    stopTimer()
    tick()
    timer = setInterval(tick, 1000)
  }

  /** Tries the password; resolves true when the session has started. */
  async function submit(password: string): Promise<boolean> {
    if (lockout.secondsLeft() > 0) {
      return false
    }
    submitting.value = true
    try {
      const token = await login(password)
      session.signIn(token)
      notice.value = { kind: 'none' }
      return true
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) {
        lock(e.retryAfterSeconds ?? FALLBACK_LOCKOUT_SECONDS)
      } else if (e instanceof ApiError && e.status === 401) {
        notice.value = { kind: 'wrongPassword' }
      } else {
        notice.value = { kind: 'error', message: e instanceof Error ? e.message : String(e) }
      }
      return false
    } finally {
      submitting.value = false
    }
  }

  onScopeDispose(stopTimer)

  return { notice, submitting, submit }
}
