import { request } from './http'

/** The live settings an admin may change. */
export const SETTING_NAMES = [
  'failsafeMode',
  'alertThresholdCount',
  'alertWindowSeconds',
  'alertWebhookUrl',
  'alertWebhookFormat',
  'archiveDays',
  'bindPrefixV4',
  'bindPrefixV6',
  'bindRatePerIp',
] as const

/** A live setting's name. */
export type SettingName = (typeof SETTING_NAMES)[number]

/** A setting value: text, a whole number, or null for none. */
export type SettingValue = string | number | null

/** A setting in force, where it comes from and what the environment says. */
export interface Setting {
  value: SettingValue
  source: 'environment' | 'admin'
  environmentValue: SettingValue
  variable: string
  expected: string
}

/** Every live setting. */
export interface Settings {
  settings: Record<SettingName, Setting>
}

/** Reads the settings in force. */
export function fetchSettings() {
  return request<Settings>('/settings')
}

/** Changes some settings, all or none. */
export function changeSettings(changes: Partial<Record<SettingName, SettingValue>>) {
  return request<Settings>('/settings', { method: 'PATCH', body: changes })
}

/** Forgets the admin's value: the environment's applies again. */
export function resetSetting(name: SettingName) {
  return request<Settings>(`/settings/${encodeURIComponent(name)}`, { method: 'DELETE' })
}
