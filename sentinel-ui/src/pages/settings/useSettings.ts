import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'

import { ApiError } from '@/api/http'
import {
  changeSettings,
  fetchSettings,
  resetSetting,
  type SettingName,
  type Settings,
} from '@/api/settings'
import { changedSettings, toModel } from './settingsRules'
import type { SettingsModel } from './types'

/** The live settings: read, change some at once, or hand one back to the environment. */
export function useSettings() {
  const { t } = useI18n()
  const settings = ref<Settings | null>(null)
  const model = ref<SettingsModel | null>(null)
  const loading = ref(false)
  const saving = ref(false)
  const error = ref<string | null>(null)
  /** The names applied by the last change, to highlight them. */
  const lastApplied = ref<SettingName[]>([])

  const pending = computed(() =>
    settings.value && model.value ? changedSettings(settings.value, model.value) : {},
  )
  const dirty = computed(() => Object.keys(pending.value).length > 0)

  function show(next: Settings) {
    settings.value = next
    model.value = toModel(next)
  }

  function fail(e: unknown) {
    if (!(e instanceof ApiError && e.status === 401)) {
      ElMessage.error({ message: e instanceof Error ? e.message : String(e), duration: 8000 })
    }
  }

  async function load() {
    loading.value = true
    try {
      show(await fetchSettings())
      error.value = null
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        error.value = e instanceof Error ? e.message : String(e)
      }
    } finally {
      loading.value = false
    }
  }

  async function apply() {
    const changes = pending.value
    const names = Object.keys(changes) as SettingName[]
    if (names.length === 0) {
      ElMessage.info(t('settings.nothingChanged'))
      return
    }
    saving.value = true
    try {
      show(await changeSettings(changes))
      lastApplied.value = names
      ElMessage.success({
        message: t('settings.applied', {
          names: names.map((name) => t(`settings.names.${name}`)).join(', '),
        }),
        duration: 5000,
      })
    } catch (e) {
      fail(e)
    } finally {
      saving.value = false
    }
  }

  async function reset(name: SettingName) {
    const current = settings.value?.settings[name]
    if (!current) {
      return
    }
    const label = t(`settings.names.${name}`)
    const value = current.environmentValue ?? t('settings.unset')
    try {
      await ElMessageBox.confirm(
        t('settings.confirmReset', { name: label, value: String(value) }),
        t('settings.resetToEnvironment'),
        {
          type: 'warning',
          confirmButtonText: t('common.confirm'),
          cancelButtonText: t('common.cancel'),
        },
      )
    } catch {
      return
    }
    saving.value = true
    try {
      show(await resetSetting(name))
      lastApplied.value = [name]
      ElMessage.success(t('settings.resetDone', { name: label }))
    } catch (e) {
      fail(e)
    } finally {
      saving.value = false
    }
  }

  return {
    settings,
    model,
    loading,
    saving,
    error,
    dirty,
    pending,
    lastApplied,
    load,
    apply,
    reset,
  }
}
