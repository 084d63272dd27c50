import { ref } from 'vue'

import { listAudit, type AuditEntry } from '@/api/audit'
import { ApiError } from '@/api/http'

/** The admin-action audit, newest first, server-paged. */
export function useAdminAudit() {
  const action = ref('')
  const page = ref(1)
  const size = ref(20)
  const rows = ref<AuditEntry[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load() {
    loading.value = true
    try {
      const result = await listAudit(action.value, page.value, size.value)
      rows.value = result.items
      total.value = result.total
      error.value = null
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        error.value = e instanceof Error ? e.message : String(e)
      }
    } finally {
      loading.value = false
    }
  }

  function filterBy(next: string) {
    action.value = next
    page.value = 1
    return load()
  }

  return { action, page, size, rows, total, loading, error, load, filterBy }
}
