import type { Binding, BindingStatus } from './bindings'
import { request } from './http'

/** What the server knows of a pasted key. */
export interface KeyLookup {
  tokenHash: string
  hint: string
  bound: boolean
  binding: Binding | null
}

/** A binding made before the key's first use. */
export interface PreBind {
  key: string
  rules: string[]
  note?: string
  status?: BindingStatus
}

// The pasted key travels only in the request body: it is hashed by the server, never stored
// and never echoed back.

/** Looks a pasted key up. */
export function lookUpKey(key: string) {
  return request<KeyLookup>('/keys/lookup', { method: 'POST', body: { key } })
}

/** Binds a pasted key before its first use. */
export function preBindKey(preBind: PreBind) {
  return request<Binding>('/keys/bind', { method: 'POST', body: preBind })
}

/** Unbinds a pasted key. */
export function unbindKey(key: string) {
  return request<Binding>('/keys/unbind', { method: 'POST', body: { key } })
}
