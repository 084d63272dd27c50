import { download, request, type Page, type Query } from './http'

/** Why a request was stopped. */
export type InterceptReason = 'outside_bound_networks' | 'banned'

/** One stopped request. */
export interface Intercept {
  id: number
  at: string
  tokenHash: string
  hint: string
  clientIp: string
  boundRules: string[]
  method: string
  path: string
  userAgent: string
  reason: InterceptReason
}

/** Filters for the intercept log; times are ISO-8601 with an offset. */
export interface InterceptFilter {
  from?: string
  to?: string
  hint?: string
  hashPrefix?: string
  ip?: string
  reason?: InterceptReason | ''
}

function query(filter: InterceptFilter): Query {
  return { ...filter }
}

/** Lists intercepts, newest first. */
export function listIntercepts(filter: InterceptFilter, page: number, size: number) {
  return request<Page<Intercept>>('/intercepts', { query: { ...query(filter), page, size } })
}

/** Exports every intercept the filter selects as CSV. */
export function exportIntercepts(filter: InterceptFilter): Promise<Blob> {
  return download('/intercepts/export', query(filter), 'text/csv')
}
