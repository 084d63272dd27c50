import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import elementEn from 'element-plus/es/locale/lang/en'
import elementZhCn from 'element-plus/es/locale/lang/zh-cn'

import type { ConsoleLocale } from '@/shared/duration'
import en from './en'
import zhCn from './zh-cn'

/** The shape every locale's texts must have. */
export type Messages = typeof en

const STORAGE_KEY = 'sentinel.admin.locale'

/** Picks the console's language from the browser's list: Chinese if it comes first, else English. */
export function detectLocale(languages: readonly string[]): ConsoleLocale {
  for (const language of languages) {
    const lower = language.toLowerCase()
    if (lower.startsWith('zh')) {
      return 'zh-cn'
    }
    if (lower.startsWith('en')) {
      return 'en'
    }
  }
  return 'en'
}

function initialLocale(): ConsoleLocale {
  if (typeof window === 'undefined') {
    return 'en'
  }
  const chosen = window.sessionStorage.getItem(STORAGE_KEY)
  if (chosen === 'en' || chosen === 'zh-cn') {
    return chosen
  }
  return detectLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language])
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-cn': zhCn },
})

/** The language in force, for formatting outside templates. */
export const currentLocale = computed<ConsoleLocale>(() =>
  i18n.global.locale.value === 'zh-cn' ? 'zh-cn' : 'en',
)

/** Element Plus's texts for the language in force. */
export const elementLocale = computed(() =>
  currentLocale.value === 'zh-cn' ? elementZhCn : elementEn,
)

/** Switches the language for this tab. */
export function setLocale(locale: ConsoleLocale): void {
  i18n.global.locale.value = locale
  window.sessionStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale === 'zh-cn' ? 'zh-CN' : 'en'
}
