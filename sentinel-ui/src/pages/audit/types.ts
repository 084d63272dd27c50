import type { InterceptReason } from '@/api/intercepts'

/** What the key box of the intercept filter searches. */
export type KeyField = 'hint' | 'hashPrefix'

/** The intercept filter form's model. */
export interface InterceptFilterModel {
  /** [from, to] as dates, or null for no limit. */
  range: [Date, Date] | null
  keyField: KeyField
  key: string
  ip: string
  reason: InterceptReason | ''
}

/** The admin-action filter's model. */
export interface AdminActionFilterModel {
  action: string
}
