import { fileURLToPath, URL } from 'node:url'

import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Sentinel serves the built files itself at /admin/ui/; `npm run dev` proxies the API to a
// Sentinel running on its default port.
export default defineConfig({
  base: '/admin/ui/',
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Element Plus and ECharts are large but change rarely: separate chunks stay cached
    // (hashed names, immutable) across console releases.
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'vue',
              test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/,
              priority: 30,
            },
            {
              name: 'element-plus',
              test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@vueuse|async-validator|dayjs|lodash|lodash-es|lodash-unified|memoize-one|normalize-wheel-es|@ctrl)[\\/]/,
              priority: 20,
            },
            {
              name: 'echarts',
              test: /node_modules[\\/](echarts|zrender|tslib|vue-echarts)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/admin/api': 'http://127.0.0.1:8016' },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // A test that imports a page module loads Element Plus with it: seconds on a busy
    // two-core builder, where the 5 s default made the check fail for no fault of the code.
    testTimeout: 30_000,
  },
})
