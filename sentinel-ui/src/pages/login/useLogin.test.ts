import { effectScope } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { session } from '@/session/session'
import { useLogin } from './useLogin'

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

// The admin API is played by a stub of fetch here; the browser suite runs against the real one.
describe('logging in', () => {
  let scope = effectScope()

  beforeEach(() => {
    scope = effectScope()
    vi.useFakeTimers()
    vi.setSystemTime(Date.parse('2025-01-01T12:00:00Z'))
  })

  afterEach(() => {
    scope.stop()
    session.signOut()
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('starts a session with the token from the server', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(200, { token: 'jwt', expiresAt: '2025-01-01T13:00:00Z' }),
    )
    const login = scope.run(() => useLogin())!

    expect(await login.submit('right')).toBe(true)
    expect(session.token()).toBe('jwt')
    expect(login.notice.value).toEqual({ kind: 'none' })
  })

  it('says the password is wrong on 401', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(401, {
        error: { message: 'wrong', type: 'sentinel_error', code: 'invalid_password' },
      }),
    )
    const login = scope.run(() => useLogin())!

    expect(await login.submit('wrong')).toBe(false)
    expect(login.notice.value).toEqual({ kind: 'wrongPassword' })
    expect(session.token()).toBeNull()
  })

  it('locks the form for the Retry-After of a 429 and counts down to the end', async () => {
    const fetch = vi.fn(async () =>
      answer(
        429,
        { error: { message: 'locked', type: 'sentinel_error', code: 'login_locked' } },
        { 'Retry-After': '900' },
      ),
    )
    vi.stubGlobal('fetch', fetch)
    const login = scope.run(() => useLogin())!

    expect(await login.submit('right')).toBe(false)
    expect(login.notice.value).toEqual({ kind: 'locked', secondsLeft: 900 })

    vi.advanceTimersByTime(60_000)
    expect(login.notice.value).toEqual({ kind: 'locked', secondsLeft: 840 })
    expect(await login.submit('right')).toBe(false)
    expect(fetch).toHaveBeenCalledTimes(1)

    vi.advanceTimersByTime(840_000)
    expect(login.notice.value).toEqual({ kind: 'unlocked' })
  })
})
