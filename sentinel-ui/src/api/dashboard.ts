import { request } from './http'

/** A store's state: `absent` means not configured (Redis in the embedded default). */
export type StoreState = 'up' | 'down' | 'absent'

/** The dashboard's figures; the PostgreSQL-backed parts are null while it is down. */
export interface Dashboard {
  generatedAt: string
  bindings: { total: number; active: number; banned: number; rulesSetByAdmin: number } | null
  interceptsPerHour: { hour: string; count: number }[] | null
  topKeys: { tokenHash: string; hint: string; count: number }[] | null
  topIps: { ip: string; count: number }[] | null
  stores: { postgresql: StoreState; redis: StoreState }
  interceptLog: { buffered: number; dropped: number }
}

/** Reads the dashboard. */
export function fetchDashboard(): Promise<Dashboard> {
  return request<Dashboard>('/dashboard')
}
