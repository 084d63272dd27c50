import { describe, expect, it } from 'vitest'

import en from './en'
import zhCn from './zh-cn'
import { detectLocale } from './index'

function leaves(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? leaves(value, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  )
}

describe('languages', () => {
  it('default to the browser language, Chinese or English', () => {
    expect(detectLocale(['zh-CN', 'en-US'])).toBe('zh-cn')
    expect(detectLocale(['zh-TW'])).toBe('zh-cn')
    expect(detectLocale(['en-GB', 'zh-CN'])).toBe('en')
    expect(detectLocale(['fr-FR', 'zh'])).toBe('zh-cn')
    expect(detectLocale(['fr-FR'])).toBe('en')
    expect(detectLocale([])).toBe('en')
  })

  it('have the same texts in both languages, none empty', () => {
    expect(leaves(zhCn)).toEqual(leaves(en))
    for (const messages of [en, zhCn]) {
      const flat = JSON.stringify(messages)
      expect(flat).not.toContain('""')
    }
  })
})
