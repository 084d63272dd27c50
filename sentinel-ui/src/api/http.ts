import { parseRetryAfter } from '@/shared/duration'
import { session } from '@/session/session'

/** The admin API's root, on the same origin as the console. */
export const API_ROOT = '/admin/api'

/** A failed admin API call: status, the API's error code and message. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  /** Seconds from `Retry-After`, when the answer carried one. */
  readonly retryAfterSeconds: number | null

  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** Query parameters; empty, null and undefined values are left out. */
export type Query = Record<string, string | number | null | undefined>

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  body?: unknown
  /** Whether the call needs the token; only login does not. */
  authenticated?: boolean
}

let onUnauthorized: () => void = () => {}

/** Sets what happens when the API refuses the token: the router sends the admin to login. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

/** Builds `/admin/api/<path>?<query>`. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined && String(value).trim() !== '') {
      params.append(name, String(value).trim())
    }
  }
  const search = params.toString()
  return `${API_ROOT}${path}${search === '' ? '' : `?${search}`}`
}

async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const authenticated = options.authenticated ?? true
  const headers: Record<string, string> = { Accept: accept }
  if (authenticated) {
    const token = session.token()
    if (token === null) {
      onUnauthorized()
      throw new ApiError(401, 'unauthorized', 'not logged in', null)
    }
    headers.Authorization = `Bearer ${token}`
  }
  let body: string | undefined
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  let response: Response
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      cache: 'no-store',
      credentials: 'omit',
    })
  } catch (e) {
    throw new ApiError(0, 'network_error', e instanceof Error ? e.message : String(e), null)
  }
  if (response.ok) {
    return response
  }
  const error = await readError(response)
  if (response.status === 401 && authenticated) {
    session.signOut()
    onUnauthorized()
  }
  throw error
}

async function readError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'), Date.now())
  let code = `http_${response.status}`
  let message = response.statusText || `HTTP ${response.status}`
  try {
    const parsed: unknown = await response.json()
    const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error
    if (typeof error?.message === 'string') {
      message = error.message
    }
    if (typeof error?.code === 'string') {
      code = error.code
    }
  } catch {
    // Not JSON (a proxy in between, say): keep the status text.
  }
  return new ApiError(response.status, code, message, retryAfter)
}

/** Calls the admin API and parses its JSON answer. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json')
  return (await response.json()) as T
}

/** Downloads an answer as a file body with the token (a plain link could not send it). */
export async function download(path: string, query: Query, accept: string): Promise<Blob> {
  const response = await send(path, { query }, accept)
  return await response.blob()
}

/** A page of a list, as every list route answers. */
export interface Page<T> {
  items: T[]
  page: number
  size: number
  total: number
}
