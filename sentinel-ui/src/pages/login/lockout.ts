/**
 * A login lockout's clock: when it ends and how much is left. Kept apart from the page so
 * that the arithmetic is tested without a browser.
 */
export function createLockout(now: () => number = Date.now) {
  let endsAt: number | null = null

  return {
    /** Starts (or extends) a lockout of `seconds` from now. */
    lock(seconds: number): void {
      endsAt = now() + Math.max(0, seconds) * 1000
    },
    /** Whole seconds left, 0 when there is no lockout or it is over. */
    secondsLeft(): number {
      if (endsAt === null) {
        return 0
      }
      return Math.max(0, Math.ceil((endsAt - now()) / 1000))
    },
    /** Forgets the lockout. */
    clear(): void {
      endsAt = null
    },
  }
}
