import { describe, expect, it } from 'vitest'

import type { Setting, Settings } from '@/api/settings'
import { changedSettings, checkSetting, isWebhookUrl, toModel } from './settingsRules'

const t = (key: string, values?: Record<string, unknown>) =>
  values === undefined ? key : `${key} ${JSON.stringify(values)}`

function setting(value: Setting['value']): Setting {
  return { value, source: 'environment', environmentValue: value, variable: 'X', expected: '' }
}

const settings: Settings = {
  settings: {
    failsafeMode: setting('closed'),
    alertThresholdCount: setting(5),
    alertWindowSeconds: setting(300),
    alertWebhookUrl: setting(null),
    alertWebhookFormat: setting('generic'),
    archiveDays: setting(30),
    bindPrefixV4: setting(32),
    bindPrefixV6: setting(64),
    bindRatePerIp: setting(60),
  },
}

describe('settings validation mirrors the server', () => {
  it('checks whole-number ranges', () => {
    expect(checkSetting('bindPrefixV4', 24, t)).toBeNull()
    expect(checkSetting('bindPrefixV4', 33, t)).toBe('rules.integer {"min":8,"max":32}')
    expect(checkSetting('bindPrefixV4', 0, t)).toBe('rules.integer {"min":8,"max":32}')
    expect(checkSetting('bindPrefixV6', 15, t)).toBe('rules.integer {"min":16,"max":128}')
    expect(checkSetting('alertThresholdCount', 0, t)).not.toBeNull()
    expect(checkSetting('bindRatePerIp', 1.5, t)).not.toBeNull()
  })

  it('checks choices', () => {
    expect(checkSetting('failsafeMode', 'open', t)).toBeNull()
    expect(checkSetting('failsafeMode', 'half', t)).not.toBeNull()
    expect(checkSetting('alertWebhookFormat', 'feishu', t)).toBeNull()
  })

  it('accepts only absolute http(s) webhook URLs, or none', () => {
    expect(isWebhookUrl('https://hooks.example.com/a?b=c')).toBe(true)
    expect(isWebhookUrl('ftp://example.com')).toBe(false)
    expect(isWebhookUrl('/relative')).toBe(false)
    expect(checkSetting('alertWebhookUrl', '', t)).toBeNull()
    expect(checkSetting('alertWebhookUrl', 'javascript:alert(1)', t)).toBe('rules.url')
  })
})

describe('what is sent when applying', () => {
  it('sends only the values that differ from the ones in force', () => {
    const model = toModel(settings)
    expect(changedSettings(settings, model)).toEqual({})

    model.alertThresholdCount = 7
    model.failsafeMode = 'open'
    expect(changedSettings(settings, model)).toEqual({
      alertThresholdCount: 7,
      failsafeMode: 'open',
    })
  })

  it('sends an emptied webhook URL as null and a typed one trimmed', () => {
    const model = toModel(settings)
    expect(model.alertWebhookUrl).toBe('')
    model.alertWebhookUrl = '  https://hooks.example.com/x '
    expect(changedSettings(settings, model)).toEqual({
      alertWebhookUrl: 'https://hooks.example.com/x',
    })
  })
})
