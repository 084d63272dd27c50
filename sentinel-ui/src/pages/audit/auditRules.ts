import type { FormItemRule } from 'element-plus'

import type { InterceptFilter } from '@/api/intercepts'
import { isIp, parseCidr } from '@/shared/ip'
import { isHashPrefix } from '../bindings/bindingRules'
import type { InterceptFilterModel } from './types'

type Translate = (key: string, values?: Record<string, unknown>) => string

/** Whether text is an address or a network the intercept filter accepts. */
export function isIpOrCidr(text: string): boolean {
  const value = text.trim()
  return value.includes('/') ? parseCidr(value).ok : isIp(value)
}

/** Rule for the address box: empty, an address, or a network. */
export function ipFilterRule(t: Translate): FormItemRule {
  return {
    trigger: 'submit',
    validator: (_rule, value: string, callback) => {
      const text = (value ?? '').trim()
      callback(text === '' || isIpOrCidr(text) ? undefined : new Error(t('rules.ipOrCidr')))
    },
  }
}

/** Rule for the key box when it holds a hash prefix. */
export function keyFilterRule(t: Translate, model: InterceptFilterModel): FormItemRule {
  return {
    trigger: 'submit',
    validator: (_rule, value: string, callback) => {
      const text = (value ?? '').trim()
      const bad = model.keyField === 'hashPrefix' && text !== '' && !isHashPrefix(text)
      callback(bad ? new Error(t('rules.hashPrefix')) : undefined)
    },
  }
}

/** Rule for the time range: the end after the start. */
export function rangeRule(t: Translate): FormItemRule {
  return {
    trigger: 'change',
    validator: (_rule, value: [Date, Date] | null, callback) => {
      const bad = value !== null && value !== undefined && value[1].getTime() <= value[0].getTime()
      callback(bad ? new Error(t('rules.rangeOrder')) : undefined)
    },
  }
}

/** Turns the filter form into the API's query; times go out as ISO-8601 UTC. */
export function toInterceptFilter(model: InterceptFilterModel): InterceptFilter {
  const key = model.key.trim()
  return {
    from: model.range ? model.range[0].toISOString() : undefined,
    to: model.range ? model.range[1].toISOString() : undefined,
    hint: model.keyField === 'hint' && key !== '' ? key : undefined,
    hashPrefix: model.keyField === 'hashPrefix' && key !== '' ? key.toLowerCase() : undefined,
    ip: model.ip.trim() === '' ? undefined : model.ip.trim(),
    reason: model.reason === '' ? undefined : model.reason,
  }
}
