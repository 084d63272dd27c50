import { describe, expect, it } from 'vitest'

import { checkRules, checkSearch, isApiKey, isHashPrefix } from './bindingRules'

const t = (key: string, values?: Record<string, unknown>) =>
  values === undefined ? key : `${key} ${JSON.stringify(values)}`

describe('rules of a binding', () => {
  it('accepts several networks and returns them canonical and once each', () => {
    expect(checkRules('10.0.0.0/8\n192.0.2.7\n2001:DB8::/32\n10.0.0.0/8', t)).toEqual({
      ok: true,
      rules: ['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/32'],
    })
  })

  it('accepts the unrestricted pair', () => {
    expect(checkRules('0.0.0.0/0, ::/0', t)).toEqual({ ok: true, rules: ['0.0.0.0/0', '::/0'] })
  })

  it('names the line and the network meant when host bits are set', () => {
    const check = checkRules('192.0.2.0/24\n10.0.0.1/24', t)
    expect(check).toEqual({
      ok: false,
      message: 'rules.cidrHostBits {"line":2,"text":"10.0.0.1/24","network":"10.0.0.0/24"}',
    })
  })

  it('refuses no rules and too many rules', () => {
    expect(checkRules('  \n ', t).ok).toBe(false)
    const many = Array.from({ length: 65 }, (_, i) => `10.0.${i}.0/24`).join('\n')
    expect(checkRules(many, t)).toEqual({ ok: false, message: 'rules.rulesCount {"max":64}' })
  })

  it('refuses loose IPv4 forms the server refuses', () => {
    expect(checkRules('010.0.0.0/8', t).ok).toBe(false)
    expect(checkRules('127.1', t).ok).toBe(false)
  })
})

describe('search and pasted keys', () => {
  it('checks a hash prefix as 1 to 64 hex digits', () => {
    expect(isHashPrefix('3fa9C2')).toBe(true)
    expect(isHashPrefix('xyz')).toBe(false)
    expect(isHashPrefix('a'.repeat(65))).toBe(false)
  })

  it('checks the search text by the chosen field', () => {
    expect(checkSearch('ip', '192.0.2.7', t)).toBeNull()
    expect(checkSearch('ip', '10.0.0.0/8', t)).toBe('rules.ip')
    expect(checkSearch('hashPrefix', 'zz', t)).toBe('rules.hashPrefix')
    expect(checkSearch('hint', 'sk-ab…', t)).toBeNull()
    expect(checkSearch('ip', '   ', t)).toBeNull()
  })

  it('reads a key as the server does: one sk-, channel suffix cut, letters and digits', () => {
    expect(isApiKey('sk-AbC123')).toBe(true)
    expect(isApiKey('  sk-AbC123-7 ')).toBe(true)
    expect(isApiKey('AbC123')).toBe(true)
    expect(isApiKey('sk-')).toBe(false)
    expect(isApiKey('sk-ab_c')).toBe(false)
    expect(isApiKey('sk-ключ')).toBe(false)
  })
})

describe('the search form as an API query', () => {
  it('sends only the chosen field, trimmed, a hash prefix in lower case', async () => {
    const { toSearch } = await import('./useBindings')
    expect(toSearch({ field: 'hashPrefix', text: ' ABC1 ', status: 'banned' })).toEqual({
      hint: undefined,
      hashPrefix: 'abc1',
      ip: undefined,
      status: 'banned',
    })
    expect(toSearch({ field: 'ip', text: '', status: '' })).toEqual({
      hint: undefined,
      hashPrefix: undefined,
      ip: undefined,
      status: undefined,
    })
  })
})
