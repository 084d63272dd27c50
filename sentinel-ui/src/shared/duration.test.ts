import { describe, expect, it } from 'vitest'

import { formatTimeLeft, parseRetryAfter } from './duration'

describe('time left of a lockout', () => {
  it('shows seconds under a minute', () => {
    expect(formatTimeLeft(45, 'en')).toBe('45 s')
    expect(formatTimeLeft(0, 'en')).toBe('0 s')
  })

  it('shows minutes and padded seconds under an hour', () => {
    expect(formatTimeLeft(900, 'en')).toBe('15 min 00 s')
    expect(formatTimeLeft(14 * 60 + 5, 'en')).toBe('14 min 05 s')
  })

  it('drops seconds from an hour on', () => {
    expect(formatTimeLeft(3600 + 2 * 60 + 59, 'en')).toBe('1 h 02 min')
  })

  it('speaks Chinese', () => {
    expect(formatTimeLeft(14 * 60 + 5, 'zh-cn')).toBe('14 分 05 秒')
  })

  it('rounds fractions up and never goes below zero', () => {
    expect(formatTimeLeft(0.2, 'en')).toBe('1 s')
    expect(formatTimeLeft(-5, 'en')).toBe('0 s')
    expect(formatTimeLeft(Number.NaN, 'en')).toBe('0 s')
  })
})

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T12:00:00Z')

  it('reads delay seconds', () => {
    expect(parseRetryAfter('900', now)).toBe(900)
    expect(parseRetryAfter(' 12 ', now)).toBe(12)
  })

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:01:30 GMT', now)).toBe(90)
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0)
  })

  it('gives null when absent or unreadable', () => {
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('', now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
  })
})
