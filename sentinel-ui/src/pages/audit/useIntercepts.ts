import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'

import { ApiError } from '@/api/http'
import {
  exportIntercepts,
  listIntercepts,
  type Intercept,
  type InterceptFilter,
} from '@/api/intercepts'
import { exportFileName, saveBlob } from '@/shared/download'

/** The intercept log: filters, server paging and CSV export through the API. */
export function useIntercepts() {
  const { t } = useI18n()
  const filter = ref<InterceptFilter>({})
  const page = ref(1)
  const size = ref(20)
  const rows = ref<Intercept[]>([])
  const total = ref(0)
  const loading = ref(false)
  const exporting = ref(false)
  const error = ref<string | null>(null)

  function report(e: unknown, into: 'banner' | 'toast') {
    if (e instanceof ApiError && e.status === 401) {
      return
    }
    const message = e instanceof Error ? e.message : String(e)
    if (into === 'banner') {
      error.value = message
    } else {
      ElMessage.error(message)
    }
  }

  async function load() {
    loading.value = true
    try {
      const result = await listIntercepts(filter.value, page.value, size.value)
      rows.value = result.items
      total.value = result.total
      error.value = null
    } catch (e) {
      report(e, 'banner')
    } finally {
      loading.value = false
    }
  }

  function apply(next: InterceptFilter) {
    filter.value = next
    page.value = 1
    return load()
  }

  async function exportCsv() {
    exporting.value = true
    try {
      const blob = await exportIntercepts(filter.value)
      const file = exportFileName('sentinel-intercepts', new Date(), 'csv')
      saveBlob(blob, file)
      ElMessage.success(t('audit.exported', { file }))
    } catch (e) {
      report(e, 'toast')
    } finally {
      exporting.value = false
    }
  }

  return { filter, page, size, rows, total, loading, exporting, error, load, apply, exportCsv }
}
