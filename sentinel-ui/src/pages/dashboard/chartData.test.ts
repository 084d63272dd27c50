import { describe, expect, it } from 'vitest'

import { hourBars, totalIntercepts } from './chartData'

describe('intercepts per hour', () => {
  it('orders bars oldest first and sums the day', () => {
    const perHour = [
      { hour: '2025-01-01T02:00:00Z', count: 3 },
      { hour: '2025-01-01T01:00:00Z', count: 1 },
    ]
    expect(hourBars(perHour).map((bar) => bar.count)).toEqual([1, 3])
    expect(totalIntercepts(perHour)).toBe(4)
  })

  it('shows nothing while PostgreSQL is down', () => {
    expect(hourBars(null)).toEqual([])
    expect(totalIntercepts(null)).toBeNull()
  })
})
