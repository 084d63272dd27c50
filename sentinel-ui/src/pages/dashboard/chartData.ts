import { formatHour } from '@/shared/format'
import type { HourBar } from './types'

/** Turns the API's per-hour counts into labelled bars, oldest first. */
export function hourBars(perHour: { hour: string; count: number }[] | null): HourBar[] {
  if (perHour === null) {
    return []
  }
  return [...perHour]
    .sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour))
    .map((entry) => ({ label: formatHour(entry.hour), count: entry.count }))
}

/** Sums the per-hour counts: the intercepts of the last 24 hours. */
export function totalIntercepts(perHour: { count: number }[] | null): number | null {
  if (perHour === null) {
    return null
  }
  return perHour.reduce((sum, entry) => sum + entry.count, 0)
}
