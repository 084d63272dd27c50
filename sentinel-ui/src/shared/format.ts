import type { ConsoleLocale } from './duration'

const BCP47: Record<ConsoleLocale, string> = { en: 'en-GB', 'zh-cn': 'zh-CN' }

/** Formats an ISO-8601 instant in the browser's time zone, or an em dash when absent. */
export function formatInstant(iso: string | null | undefined, locale: ConsoleLocale): string {
  if (!iso) {
    return '—'
  }
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) {
    return iso
  }
  return new Intl.DateTimeFormat(BCP47[locale], {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date)
}

/** Formats the hour of an ISO-8601 instant as `HH:00` in the browser's time zone. */
export function formatHour(iso: string): string {
  const date = new Date(iso)
  return `${String(date.getHours()).padStart(2, '0')}:00`
}

/** Formats a count with the locale's grouping. */
export function formatCount(value: number | null | undefined, locale: ConsoleLocale): string {
  if (value === null || value === undefined) {
    return '—'
  }
  return new Intl.NumberFormat(BCP47[locale]).format(value)
}

/** The first characters of a token hash, enough to tell keys apart. */
export function shortHash(tokenHash: string): string {
  return tokenHash.substring(0, 12)
}
