/** One bar of the intercepts-per-hour chart. */
export interface HourBar {
  label: string
  count: number
}

/** A dashboard total card. */
export interface TotalCard {
  key: string
  label: string
  value: number | null
  tone: 'primary' | 'success' | 'danger' | 'warning' | 'info'
}
