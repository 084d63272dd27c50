import type { FormItemRule, FormRules } from 'element-plus'

import type { SettingName, Settings, SettingValue } from '@/api/settings'
import type { SettingGroup, SettingInput, SettingsModel } from './types'

type Translate = (key: string, values?: Record<string, unknown>) => string

/** How each setting is edited, mirroring the server's validation. */
export const SETTING_INPUTS: Record<SettingName, SettingInput> = {
  failsafeMode: { kind: 'choice', options: ['closed', 'open'] },
  alertThresholdCount: { kind: 'integer', min: 1, max: 1_000_000 },
  alertWindowSeconds: { kind: 'integer', min: 1, max: 86_400 },
  alertWebhookUrl: { kind: 'url' },
  alertWebhookFormat: { kind: 'choice', options: ['generic', 'slack', 'dingtalk', 'feishu'] },
  archiveDays: { kind: 'integer', min: 1, max: 36_500 },
  bindPrefixV4: { kind: 'integer', min: 8, max: 32 },
  bindPrefixV6: { kind: 'integer', min: 16, max: 128 },
  bindRatePerIp: { kind: 'integer', min: 0, max: 1_000_000 },
}

/** The page's sections. */
export const SETTING_GROUPS: SettingGroup[] = [
  { key: 'failsafe', names: ['failsafeMode'] },
  {
    key: 'alerts',
    names: ['alertThresholdCount', 'alertWindowSeconds', 'alertWebhookUrl', 'alertWebhookFormat'],
  },
  { key: 'binding', names: ['bindPrefixV4', 'bindPrefixV6', 'bindRatePerIp'] },
  { key: 'archive', names: ['archiveDays'] },
]

/** Whether text is an absolute http(s) URL with a host, as the server requires. */
export function isWebhookUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** Checks one value; returns a message, or null when the server would accept it. */
export function checkSetting(name: SettingName, value: unknown, t: Translate): string | null {
  const input = SETTING_INPUTS[name]
  switch (input.kind) {
    case 'choice':
      return typeof value === 'string' && input.options.includes(value)
        ? null
        : t('common.required')
    case 'integer':
      return typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= input.min &&
        value <= input.max
        ? null
        : t('rules.integer', { min: input.min, max: input.max })
    case 'url': {
      const text = typeof value === 'string' ? value.trim() : ''
      return text === '' || isWebhookUrl(text) ? null : t('rules.url')
    }
  }
}

/** The form's rules, one per setting. */
export function settingsRules(t: Translate): FormRules<SettingsModel> {
  const rules: FormRules<SettingsModel> = {}
  for (const name of Object.keys(SETTING_INPUTS) as SettingName[]) {
    const rule: FormItemRule = {
      trigger: ['blur', 'change'],
      validator: (_rule, value: unknown, callback) => {
        const message = checkSetting(name, value, t)
        callback(message === null ? undefined : new Error(message))
      },
    }
    rules[name] = [rule]
  }
  return rules
}

/** The form's starting values: the settings in force (a missing URL as empty text). */
export function toModel(settings: Settings): SettingsModel {
  const model = {} as SettingsModel
  for (const name of Object.keys(SETTING_INPUTS) as SettingName[]) {
    const value = settings.settings[name].value
    model[name] = SETTING_INPUTS[name].kind === 'url' ? (value ?? '') : value
  }
  return model
}

/** What the admin changed, in the API's terms (an empty URL is null: no webhook). */
export function changedSettings(
  settings: Settings,
  model: SettingsModel,
): Partial<Record<SettingName, SettingValue>> {
  const changes: Partial<Record<SettingName, SettingValue>> = {}
  for (const name of Object.keys(SETTING_INPUTS) as SettingName[]) {
    let value: SettingValue = model[name]
    if (SETTING_INPUTS[name].kind === 'url') {
      const text = typeof value === 'string' ? value.trim() : ''
      value = text === '' ? null : text
    }
    if (value !== settings.settings[name].value) {
      changes[name] = value
    }
  }
  return changes
}
