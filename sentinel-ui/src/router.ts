import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'

import { setUnauthorizedHandler } from './api/http'
import ConsoleLayout from './layout/ConsoleLayout.vue'
import { session } from './session/session'

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('./pages/login/LoginPage.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      { path: '', redirect: { name: 'dashboard' } },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('./pages/dashboard/DashboardPage.vue'),
        meta: { title: 'nav.dashboard' },
      },
      {
        path: 'bindings',
        name: 'bindings',
        component: () => import('./pages/bindings/BindingsPage.vue'),
        meta: { title: 'nav.bindings' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('./pages/audit/AuditPage.vue'),
        meta: { title: 'nav.audit' },
      },
      {
        path: 'settings',
        name: 'settings',
        component: () => import('./pages/settings/SettingsPage.vue'),
        meta: { title: 'nav.settings' },
      },
    ],
  },
  { path: '/:unknown(.*)*', redirect: { name: 'dashboard' } },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
})

router.beforeEach((to) => {
  if (to.meta.public || session.signedIn.value) {
    return true
  }
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
})

// A refused token (expired, or the secret changed) sends the admin back to login, keeping
// the page to return to.
setUnauthorizedHandler(() => {
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    void router.replace({
      name: 'login',
      query: { redirect: current.fullPath, expired: '1' },
    })
  }
})
