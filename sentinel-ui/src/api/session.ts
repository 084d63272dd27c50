import { request } from './http'

/** A login's answer. */
export interface Token {
  token: string
  expiresAt: string
}

/** The token's subject and expiry. */
export interface SessionInfo {
  subject: string
  expiresAt: string
}

/** Logs in; a 429 `login_locked` error carries the seconds left in `retryAfterSeconds`. */
export function login(password: string): Promise<Token> {
  return request<Token>('/login', { method: 'POST', body: { password }, authenticated: false })
}

/** Checks the token. */
export function currentSession(): Promise<SessionInfo> {
  return request<SessionInfo>('/session')
}
