import type { SettingName } from '@/api/settings'

/** How a setting is edited. */
export type SettingInput =
  | { kind: 'choice'; options: readonly string[] }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'url' }

/** The settings form's model: what the admin typed, by setting. */
export type SettingsModel = Record<SettingName, string | number | null>

/** A group of settings shown together. */
export interface SettingGroup {
  key: 'failsafe' | 'alerts' | 'binding' | 'archive'
  names: SettingName[]
}
