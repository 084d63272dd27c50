import { request, type Page } from './http'

/** One audited admin action. */
export interface AuditEntry {
  id: number
  at: string
  action: string
  target: string
  adminIp: string
  detail: string
}

/** Actions the server audits, for the filter. */
export const AUDIT_ACTIONS = [
  'admin.login',
  'admin.login_locked',
  'binding.rules_replaced',
  'binding.banned',
  'binding.unbanned',
  'binding.note_set',
  'binding.unbound',
  'binding.prebound',
  'key.looked_up',
  'settings.changed',
  'settings.reset',
] as const

/** Lists admin actions, newest first. */
export function listAudit(action: string, page: number, size: number) {
  return request<Page<AuditEntry>>('/audit', { query: { action, page, size } })
}
