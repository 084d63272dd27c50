import { describe, expect, it } from 'vitest'

import { formatIp, isIp, parseCidr, parseIp, splitRules } from './ip'

describe('IP literals, as strict as the server', () => {
  it.each([
    '192.0.2.7',
    '0.0.0.0',
    '255.255.255.255',
    '2001:db8::7',
    '::',
    '::1',
    '::ffff:1.2.3.4',
  ])('accepts %s', (text) => expect(isIp(text)).toBe(true))

  it.each([
    '010.0.0.1',
    '0x0a.0.0.1',
    '127.1',
    '256.0.0.1',
    '1.2.3.4.5',
    ' 1.2.3.4',
    '[::1]',
    'fe80::1%eth0',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'localhost',
    '',
  ])('refuses %s', (text) => expect(isIp(text)).toBe(false))

  it('reads an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(formatIp(parseIp('::ffff:192.0.2.7')!)).toBe('192.0.2.7')
  })

  it('formats IPv6 compressed, lower case, longest zero run first', () => {
    expect(formatIp(parseIp('2001:DB8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1')
    expect(formatIp(parseIp('0:0:0:0:0:0:0:1')!)).toBe('::1')
  })
})

describe('CIDR rules', () => {
  it('canonicalises networks and bare addresses', () => {
    expect(parseCidr('192.0.2.0/24')).toEqual({ ok: true, canonical: '192.0.2.0/24' })
    expect(parseCidr(' 192.0.2.7 ')).toEqual({ ok: true, canonical: '192.0.2.7/32' })
    expect(parseCidr('2001:DB8::/32')).toEqual({ ok: true, canonical: '2001:db8::/32' })
    expect(parseCidr('0.0.0.0/0')).toEqual({ ok: true, canonical: '0.0.0.0/0' })
    expect(parseCidr('::/0')).toEqual({ ok: true, canonical: '::/0' })
  })

  it('refuses host bits and names the network that was probably meant', () => {
    expect(parseCidr('10.0.0.1/24')).toEqual({
      ok: false,
      problem: { kind: 'hostBits', networkText: '10.0.0.0/24' },
    })
    expect(parseCidr('2001:db8::1/64')).toEqual({
      ok: false,
      problem: { kind: 'hostBits', networkText: '2001:db8::/64' },
    })
  })

  it('refuses prefixes out of range or written loosely', () => {
    for (const text of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/+8', '::/129']) {
      expect(parseCidr(text).ok, text).toBe(false)
    }
  })

  it('reads a mapped network in IPv6 bits as the IPv4 network', () => {
    expect(parseCidr('::ffff:192.0.2.0/120')).toEqual({ ok: true, canonical: '192.0.2.0/24' })
    expect(parseCidr('::ffff:192.0.2.0/95')).toEqual({
      ok: false,
      problem: { kind: 'badPrefix', min: 96, max: 128 },
    })
  })

  it('refuses what is not an address, and over-long text', () => {
    expect(parseCidr('example.com/24')).toEqual({ ok: false, problem: { kind: 'notAnAddress' } })
    expect(parseCidr('1'.repeat(65))).toEqual({ ok: false, problem: { kind: 'tooLong' } })
    expect(parseCidr('   ')).toEqual({ ok: false, problem: { kind: 'empty' } })
  })

  it('splits rule text on lines, commas and spaces', () => {
    expect(splitRules('10.0.0.0/8\n 192.0.2.7, ::/0\n\n')).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      '::/0',
    ])
  })
})
