/** Locales the console speaks. */
export type ConsoleLocale = 'en' | 'zh-cn'

const UNITS: Record<ConsoleLocale, { h: string; m: string; s: string; sep: string }> = {
  en: { h: ' h', m: ' min', s: ' s', sep: ' ' },
  'zh-cn': { h: ' 小时', m: ' 分', s: ' 秒', sep: ' ' },
}

/**
 * Formats a wait such as a login lockout: `14 min 05 s`, `1 h 02 min`, `45 s`. Seconds are
 * dropped once the wait is an hour or more; negative or fractional input rounds up to whole
 * seconds, never below zero.
 */
export function formatTimeLeft(totalSeconds: number, locale: ConsoleLocale): string {
  const units = UNITS[locale]
  const seconds = Math.max(0, Math.ceil(Number.isFinite(totalSeconds) ? totalSeconds : 0))
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = seconds % 60
  const pad = (value: number) => String(value).padStart(2, '0')
  if (hours > 0) {
    return `${hours}${units.h}${units.sep}${pad(minutes)}${units.m}`
  }
  if (minutes > 0) {
    return `${minutes}${units.m}${units.sep}${pad(rest)}${units.s}`
  }
  return `${rest}${units.s}`
}

/**
 * Reads a `Retry-After` header: delay seconds or an HTTP date. Returns whole seconds from
 * `now`, or null when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') {
    return null
  }
  const text = value.trim()
  if (/^[0-9]+$/.test(text)) {
    return Number(text)
  }
  const at = Date.parse(text)
  if (Number.isNaN(at)) {
    return null
  }
  return Math.max(0, Math.ceil((at - now) / 1000))
}
