import { describe, expect, it } from 'vitest'

import { createLockout } from './lockout'

describe('login lockout clock', () => {
  it('counts down from the server-given seconds and ends at zero', () => {
    let now = 1_000_000
    const lockout = createLockout(() => now)
    expect(lockout.secondsLeft()).toBe(0)

    lockout.lock(900)
    expect(lockout.secondsLeft()).toBe(900)

    now += 899_500
    expect(lockout.secondsLeft()).toBe(1)

    now += 500
    expect(lockout.secondsLeft()).toBe(0)
  })

  it('is forgotten when cleared', () => {
    const lockout = createLockout(() => 0)
    lockout.lock(10)
    lockout.clear()
    expect(lockout.secondsLeft()).toBe(0)
  })
})
