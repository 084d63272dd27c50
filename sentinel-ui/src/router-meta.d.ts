import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean
    /** i18n key of the page title. */
    title?: string
  }
}

export {}
