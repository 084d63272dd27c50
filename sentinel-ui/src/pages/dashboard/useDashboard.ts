import { onBeforeUnmount, onMounted, ref } from 'vue'

import { fetchDashboard, type Dashboard } from '@/api/dashboard'
import { ApiError } from '@/api/http'
import { fetchSettings } from '@/api/settings'

/** How often the dashboard refreshes itself. */
export const REFRESH_SECONDS = 15

/**
 * The dashboard's figures and the failsafe mode in force, refreshed every
 * {@link REFRESH_SECONDS} seconds while the page is open and the tab visible.
 */
export function useDashboard() {
  const dashboard = ref<Dashboard | null>(null)
  const failsafeMode = ref<string | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let timer: ReturnType<typeof setInterval> | null = null

  async function refresh() {
    if (loading.value) {
      return
    }
    loading.value = true
    try {
      const [figures, settings] = await Promise.all([fetchDashboard(), fetchSettings()])
      dashboard.value = figures
      failsafeMode.value = String(settings.settings.failsafeMode.value)
      error.value = null
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        error.value = e instanceof Error ? e.message : String(e)
      }
    } finally {
      loading.value = false
    }
  }

  function onTick() {
    if (document.visibilityState === 'visible') {
      void refresh()
    }
  }

  onMounted(() => {
    void refresh()
    timer = setInterval(onTick, REFRESH_SECONDS * 1000)
  })

  onBeforeUnmount(() => {
    if (timer !== null) {
      clearInterval(timer)
    }
  })

  return { dashboard, failsafeMode, loading, error, refresh }
}
