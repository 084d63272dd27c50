import type { FormItemRule } from 'element-plus'

import { isIp, MAX_RULE_TEXT, MAX_RULES, parseCidr, splitRules } from '@/shared/ip'
import type { SearchField } from './types'

/** Longest note the server keeps. */
export const MAX_NOTE = 2000

type Translate = (key: string, values?: Record<string, unknown>) => string

/** The outcome of checking rule text: canonical rules, or the first problem as a message. */
export type RulesCheck = { ok: true; rules: string[] } | { ok: false; message: string }

/**
 * Checks rule text (one CIDR per line, or separated by commas or spaces) by the server's
 * rules, and returns canonical, de-duplicated networks in the order written.
 */
export function checkRules(text: string, t: Translate): RulesCheck {
  const entries = splitRules(text)
  if (entries.length === 0 || entries.length > MAX_RULES) {
    return { ok: false, message: t('rules.rulesCount', { max: MAX_RULES }) }
  }
  const rules: string[] = []
  for (const [index, entry] of entries.entries()) {
    const line = index + 1
    const result = parseCidr(entry)
    if (!result.ok) {
      const problem = result.problem
      switch (problem.kind) {
        case 'empty':
          return { ok: false, message: t('rules.cidrEmpty', { line }) }
        case 'tooLong':
          return { ok: false, message: t('rules.cidrTooLong', { line, max: MAX_RULE_TEXT }) }
        case 'notAnAddress':
          return { ok: false, message: t('rules.cidrNotAddress', { line, text: entry }) }
        case 'badPrefix':
          return {
            ok: false,
            message: t('rules.cidrBadPrefix', {
              line,
              text: entry,
              min: problem.min,
              max: problem.max,
            }),
          }
        case 'hostBits':
          return {
            ok: false,
            message: t('rules.cidrHostBits', { line, text: entry, network: problem.networkText }),
          }
      }
    }
    if (!rules.includes(result.canonical)) {
      rules.push(result.canonical)
    }
  }
  return { ok: true, rules }
}

/** Whether text is a hash prefix the server accepts: 1 to 64 hex digits. */
export function isHashPrefix(text: string): boolean {
  return /^[0-9a-fA-F]{1,64}$/.test(text)
}

/**
 * Whether text is a model API key as the server reads one: after trimming and one leading
 * `sk-`, the part before any `-` suffix is ASCII letters and digits.
 */
export function isApiKey(text: string): boolean {
  let key = text.trim()
  if (key.startsWith('sk-')) {
    key = key.substring(3)
  }
  const dash = key.indexOf('-')
  if (dash >= 0) {
    key = key.substring(0, dash)
  }
  return /^[A-Za-z0-9]+$/.test(key)
}

/** Checks the search text for the chosen field; returns a message or null. */
export function checkSearch(field: SearchField, text: string, t: Translate): string | null {
  const value = text.trim()
  if (value === '') {
    return null
  }
  if (field === 'hashPrefix' && !isHashPrefix(value)) {
    return t('rules.hashPrefix')
  }
  if (field === 'ip' && !isIp(value)) {
    return t('rules.ip')
  }
  return null
}

/** An Element Plus rule that runs {@link checkRules}. */
export function rulesRule(t: Translate): FormItemRule {
  return {
    trigger: ['blur', 'change'],
    validator: (_rule, value: string, callback) => {
      const check = checkRules(value ?? '', t)
      callback(check.ok ? undefined : new Error(check.message))
    },
  }
}

/** An Element Plus rule for a pasted key. */
export function apiKeyRule(t: Translate): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value: string, callback) => {
      callback(isApiKey(value ?? '') ? undefined : new Error(t('rules.apiKey')))
    },
  }
}

/** An Element Plus rule for the note's length. */
export function noteRule(t: Translate): FormItemRule {
  return {
    trigger: 'change',
    validator: (_rule, value: string, callback) => {
      callback(
        (value ?? '').length <= MAX_NOTE
          ? undefined
          : new Error(t('rules.noteLength', { max: MAX_NOTE })),
      )
    },
  }
}
