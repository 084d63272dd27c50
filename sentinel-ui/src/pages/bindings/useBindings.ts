import { reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'

import * as api from '@/api/bindings'
import type { Binding, BindingSearch } from '@/api/bindings'
import { ApiError } from '@/api/http'
import type { SearchModel } from './types'

/** Rows per page, by default. */
export const DEFAULT_PAGE_SIZE = 20

/** Turns the search form into the API's query. */
export function toSearch(model: SearchModel): BindingSearch {
  const text = model.text.trim()
  return {
    hint: model.field === 'hint' && text !== '' ? text : undefined,
    hashPrefix: model.field === 'hashPrefix' && text !== '' ? text.toLowerCase() : undefined,
    ip: model.field === 'ip' && text !== '' ? text : undefined,
    status: model.status === '' ? undefined : model.status,
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/**
 * The binding list (server-paged) and the changes an admin makes to one binding. Every
 * confirmation is plain text: hints and notes come from the outside and are never HTML.
 */
export function useBindings() {
  const { t } = useI18n()
  const search = ref<BindingSearch>({})
  const page = ref(1)
  const size = ref(DEFAULT_PAGE_SIZE)
  const rows = ref<Binding[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref<string | null>(null)
  const busy = reactive(new Set<string>())

  async function load() {
    loading.value = true
    try {
      const result = await api.listBindings(search.value, page.value, size.value)
      rows.value = result.items
      total.value = result.total
      error.value = null
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        error.value = messageOf(e)
      }
    } finally {
      loading.value = false
    }
  }

  function find(next: BindingSearch) {
    search.value = next
    page.value = 1
    return load()
  }

  function replace(binding: Binding) {
    const index = rows.value.findIndex((row) => row.tokenHash === binding.tokenHash)
    if (index >= 0) {
      rows.value.splice(index, 1, binding)
    }
  }

  async function confirm(message: string, title: string, danger: boolean): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, title, {
        type: 'warning',
        confirmButtonText: title,
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: danger ? 'el-button--danger' : undefined,
        dangerouslyUseHTMLString: false,
        autofocus: false,
      })
      return true
    } catch {
      return false
    }
  }

  /** Runs a change, shows its outcome, and reports whether it went through. */
  async function change(
    binding: Binding,
    action: () => Promise<Binding>,
    success: string,
  ): Promise<Binding | null> {
    busy.add(binding.tokenHash)
    try {
      const changed = await action()
      replace(changed)
      ElMessage.success(success)
      return changed
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        ElMessage.error(messageOf(e))
      }
      return null
    } finally {
      busy.delete(binding.tokenHash)
    }
  }

  async function ban(binding: Binding) {
    const key = binding.hint
    if (await confirm(t('bindings.confirmBan', { key }), t('bindings.ban'), true)) {
      await change(binding, () => api.ban(binding.tokenHash), t('bindings.banned', { key }))
    }
  }

  async function unban(binding: Binding) {
    const key = binding.hint
    if (await confirm(t('bindings.confirmUnban', { key }), t('bindings.unban'), false)) {
      await change(binding, () => api.unban(binding.tokenHash), t('bindings.unbanned', { key }))
    }
  }

  async function unbind(binding: Binding) {
    const key = binding.hint
    if (await confirm(t('bindings.confirmUnbind', { key }), t('bindings.unbind'), true)) {
      const gone = await change(
        binding,
        () => api.unbind(binding.tokenHash),
        t('bindings.unbound', { key }),
      )
      if (gone !== null) {
        await load()
      }
    }
  }

  function saveRules(binding: Binding, rules: string[]) {
    return change(
      binding,
      () => api.replaceRules(binding.tokenHash, rules),
      t('bindings.rulesSaved', { key: binding.hint }),
    )
  }

  function saveNote(binding: Binding, note: string) {
    return change(binding, () => api.setNote(binding.tokenHash, note), t('bindings.noteSaved'))
  }

  return {
    search,
    page,
    size,
    rows,
    total,
    loading,
    error,
    busy,
    load,
    find,
    ban,
    unban,
    unbind,
    saveRules,
    saveNote,
  }
}
