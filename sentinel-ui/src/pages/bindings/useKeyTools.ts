import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'

import type { BindingStatus } from '@/api/bindings'
import { ApiError } from '@/api/http'
import { lookUpKey, preBindKey, unbindKey, type KeyLookup } from '@/api/keys'

/**
 * Look-up, pre-binding and unbinding by a pasted key. The key is only ever in the form and
 * in one request body; results show its hint and hash, never the key.
 */
export function useKeyTools(onChanged: () => void) {
  const { t } = useI18n()
  const result = ref<KeyLookup | null>(null)
  const busy = ref(false)

  async function run<T>(action: () => Promise<T>): Promise<T | null> {
    busy.value = true
    try {
      return await action()
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        ElMessage.error(e instanceof Error ? e.message : String(e))
      }
      return null
    } finally {
      busy.value = false
    }
  }

  async function lookUp(key: string) {
    result.value = await run(() => lookUpKey(key.trim()))
  }

  async function preBind(key: string, rules: string[], status: BindingStatus) {
    const binding = await run(() => preBindKey({ key: key.trim(), rules, status }))
    if (binding !== null) {
      result.value = { tokenHash: binding.tokenHash, hint: binding.hint, bound: true, binding }
      ElMessage.success(t('keys.preBound', { hint: binding.hint, rules: binding.rules.join(', ') }))
      onChanged()
    }
  }

  async function unbind(key: string) {
    try {
      await ElMessageBox.confirm(t('keys.confirmUnbind'), t('keys.unbind'), {
        type: 'warning',
        confirmButtonText: t('keys.unbind'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      })
    } catch {
      return
    }
    const binding = await run(() => unbindKey(key.trim()))
    if (binding !== null) {
      result.value = {
        tokenHash: binding.tokenHash,
        hint: binding.hint,
        bound: false,
        binding: null,
      }
      ElMessage.success(t('keys.unbound', { hint: binding.hint }))
      onChanged()
    }
  }

  function clear() {
    result.value = null
  }

  return { result, busy, lookUp, preBind, unbind, clear }
}
