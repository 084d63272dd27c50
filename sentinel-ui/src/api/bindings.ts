import { request, type Page } from './http'

/** A binding's status. */
export type BindingStatus = 'active' | 'banned'

/** A key's binding, as the admin API shows it (the key itself never comes back). */
export interface Binding {
  id: number
  tokenHash: string
  hint: string
  rules: string[]
  status: BindingStatus
  rulesSetByAdmin: boolean
  boundAt: string
  lastSeenAt: string
  lastIp: string | null
  note: string
  revision: number
}

/** Search criteria for the binding list; all optional. */
export interface BindingSearch {
  hint?: string
  hashPrefix?: string
  ip?: string
  status?: BindingStatus | ''
}

/** Lists bindings, newest first. */
export function listBindings(search: BindingSearch, page: number, size: number) {
  return request<Page<Binding>>('/bindings', { query: { ...search, page, size } })
}

/** Reads one binding. */
export function getBinding(tokenHash: string) {
  return request<Binding>(`/bindings/${encodeURIComponent(tokenHash)}`)
}

/** Replaces the rules; the server marks them as set by an admin. */
export function replaceRules(tokenHash: string, rules: string[]) {
  return request<Binding>(`/bindings/${encodeURIComponent(tokenHash)}/rules`, {
    method: 'PUT',
    body: { rules },
  })
}

/** Bans the key: every later use is intercepted. */
export function ban(tokenHash: string) {
  return request<Binding>(`/bindings/${encodeURIComponent(tokenHash)}/ban`, { method: 'POST' })
}

/** Lifts a ban. */
export function unban(tokenHash: string) {
  return request<Binding>(`/bindings/${encodeURIComponent(tokenHash)}/unban`, { method: 'POST' })
}

/** Replaces the admin note; empty clears it. */
export function setNote(tokenHash: string, note: string) {
  return request<Binding>(`/bindings/${encodeURIComponent(tokenHash)}/note`, {
    method: 'PUT',
    body: { note },
  })
}

/** Deletes the binding; the key's next use binds it again. Answers the binding as it was. */
export function unbind(tokenHash: string) {
  return request<Binding>(`/bindings/${encodeURIComponent(tokenHash)}`, { method: 'DELETE' })
}
