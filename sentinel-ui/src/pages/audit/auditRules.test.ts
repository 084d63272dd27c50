import { describe, expect, it } from 'vitest'

import { isIpOrCidr, toInterceptFilter } from './auditRules'

describe('intercept filters', () => {
  it('accepts an address or a network for the address box', () => {
    expect(isIpOrCidr('192.0.2.7')).toBe(true)
    expect(isIpOrCidr('192.0.2.0/24')).toBe(true)
    expect(isIpOrCidr('192.0.2.1/24')).toBe(false)
    expect(isIpOrCidr('192.0.2')).toBe(false)
  })

  it('turns the form into the API query, times as UTC ISO-8601', () => {
    const from = new Date('2025-01-01T00:00:00Z')
    const to = new Date('2025-01-02T00:00:00Z')
    expect(
      toInterceptFilter({
        range: [from, to],
        keyField: 'hashPrefix',
        key: ' ABC ',
        ip: '',
        reason: 'banned',
      }),
    ).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-02T00:00:00.000Z',
      hint: undefined,
      hashPrefix: 'abc',
      ip: undefined,
      reason: 'banned',
    })
  })
})
