/**
 * Strict IP literal and CIDR parsing, mirroring Sentinel's server-side rules so that the
 * console refuses what the admin API would refuse, with the same reasons:
 *
 * - IPv4 is four decimal parts 0-255 without leading zeros (`010.0.0.1`, `0x0a.0.0.1` and
 *   `127.1` are refused);
 * - IPv6 follows RFC 4291 text forms, without brackets, ports or zone ids;
 * - an IPv4-mapped IPv6 address (`::ffff:192.0.2.7`) is the IPv4 address;
 * - a CIDR must have no host bits set (`10.0.0.1/24` is refused, naming `10.0.0.0/24`).
 */

const MAX_ADDRESS_TEXT = 45

/** Longest rule text the admin API accepts. */
export const MAX_RULE_TEXT = 64

/** Most rules one binding may hold. */
export const MAX_RULES = 64

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array

/** Why a CIDR was refused; `networkText` is set when only host bits were wrong. */
export type CidrProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong' }
  | { kind: 'notAnAddress' }
  | { kind: 'badPrefix'; min: number; max: number }
  | { kind: 'hostBits'; networkText: string }

/** A parsed network in canonical text, or the reason it was refused. */
export type CidrResult = { ok: true; canonical: string } | { ok: false; problem: CidrProblem }

function parseV4(text: string): IpBytes | null {
  const parts = text.split('.')
  if (parts.length !== 4) {
    return null
  }
  const bytes = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? ''
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) {
      return null
    }
    const value = Number(part)
    if (value > 255) {
      return null
    }
    bytes[i] = value
  }
  return bytes
}

function parseGroups(text: string, mayEndInV4: boolean): number[] | null {
  const groups: number[] = []
  const parts = text.split(':')
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? ''
    const last = i === parts.length - 1
    if (last && mayEndInV4 && part.includes('.')) {
      const v4 = parseV4(part)
      if (v4 === null || groups.length > 6) {
        return null
      }
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0))
      return groups
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(part) || groups.length === 8) {
      return null
    }
    groups.push(parseInt(part, 16))
  }
  return groups
}

function parseV6(text: string): IpBytes | null {
  const doubleColon = text.indexOf('::')
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) {
    return null
  }
  let head: number[]
  let tail: number[]
  if (doubleColon < 0) {
    const all = parseGroups(text, true)
    if (all === null || all.length !== 8) {
      return null
    }
    head = all
    tail = []
  } else {
    const left = text.substring(0, doubleColon)
    const right = text.substring(doubleColon + 2)
    const parsedHead = left === '' ? [] : parseGroups(left, false)
    const parsedTail = right === '' ? [] : parseGroups(right, true)
    // "::" stands for at least one zero group.
    if (parsedHead === null || parsedTail === null || parsedHead.length + parsedTail.length > 7) {
      return null
    }
    head = parsedHead
    tail = parsedTail
  }
  const bytes = new Uint8Array(16)
  head.forEach((group, i) => {
    bytes[2 * i] = group >>> 8
    bytes[2 * i + 1] = group & 0xff
  })
  const offset = 8 - tail.length
  tail.forEach((group, i) => {
    bytes[2 * (offset + i)] = group >>> 8
    bytes[2 * (offset + i) + 1] = group & 0xff
  })
  return bytes
}

function isV4Mapped(bytes: IpBytes): boolean {
  for (let i = 0; i < 10; i++) {
    if (bytes[i] !== 0) {
      return false
    }
  }
  return bytes[10] === 0xff && bytes[11] === 0xff
}

/** Parses one strict IP literal; IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(text: string): IpBytes | null {
  if (text.length === 0 || text.length > MAX_ADDRESS_TEXT) {
    return null
  }
  if (!text.includes(':')) {
    return parseV4(text)
  }
  const v6 = parseV6(text)
  if (v6 !== null && isV4Mapped(v6)) {
    return v6.slice(12)
  }
  return v6
}

/** Returns whether `text` is one strict IP literal. */
export function isIp(text: string): boolean {
  return parseIp(text) !== null
}

/** Formats an address canonically: dotted decimal, or RFC 5952 compressed IPv6. */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) {
    return Array.from(bytes).join('.')
  }
  const groups: number[] = []
  for (let i = 0; i < 8; i++) {
    groups.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0))
  }
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8;) {
    let j = i
    while (j < 8 && groups[j] === 0) {
      j++
    }
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j === i ? i + 1 : j
  }
  let text = ''
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      text += '::'
      i += bestLength - 1
      continue
    }
    if (text.length > 0 && !text.endsWith(':')) {
      text += ':'
    }
    text += (groups[i] ?? 0).toString(16)
  }
  return text
}

function networkOf(bytes: IpBytes, prefixLength: number): IpBytes {
  const network = bytes.slice()
  for (let i = 0; i < network.length; i++) {
    const bitsKept = Math.max(0, Math.min(8, prefixLength - i * 8))
    network[i] = (network[i] ?? 0) & ((0xff << (8 - bitsKept)) & 0xff)
  }
  return network
}

function parsePrefix(text: string, maxBits: number): number {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) {
    return -1
  }
  const value = Number(text)
  return value <= maxBits ? value : -1
}

/**
 * Parses `address/prefix`, or a bare address as a single-host network, after trimming
 * surrounding whitespace as the server does.
 */
export function parseCidr(raw: string): CidrResult {
  if (raw.length > MAX_RULE_TEXT) {
    return { ok: false, problem: { kind: 'tooLong' } }
  }
  const text = raw.trim()
  if (text === '') {
    return { ok: false, problem: { kind: 'empty' } }
  }
  const slash = text.indexOf('/')
  const addressText = slash < 0 ? text : text.substring(0, slash)
  const address = parseIp(addressText)
  if (address === null) {
    return { ok: false, problem: { kind: 'notAnAddress' } }
  }
  const bits = address.length * 8
  if (slash < 0) {
    return { ok: true, canonical: `${formatIp(address)}/${bits}` }
  }
  // ::ffff:192.0.2.0/120 is written in IPv6 bits but names the IPv4 network /24.
  const writtenAsMapped = address.length === 4 && addressText.includes(':')
  const writtenBits = writtenAsMapped ? 128 : bits
  const prefix = parsePrefix(text.substring(slash + 1), writtenBits)
  if (prefix < 0 || (writtenAsMapped && prefix < 96)) {
    return {
      ok: false,
      problem: { kind: 'badPrefix', min: writtenAsMapped ? 96 : 0, max: writtenBits },
    }
  }
  const prefixLength = writtenAsMapped ? prefix - 96 : prefix
  const network = networkOf(address, prefixLength)
  const networkText = `${formatIp(network)}/${prefixLength}`
  if (network.some((byte, i) => byte !== address[i])) {
    return { ok: false, problem: { kind: 'hostBits', networkText } }
  }
  return { ok: true, canonical: networkText }
}

/** Splits rule text on newlines, commas and spaces, dropping empty entries. */
export function splitRules(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '')
}
