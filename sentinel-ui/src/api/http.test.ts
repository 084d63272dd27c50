import { describe, expect, it } from 'vitest'

import { apiUrl } from './http'

describe('admin API URLs', () => {
  it('leave out empty parameters and encode the rest', () => {
    expect(apiUrl('/bindings', { hint: ' sk-ab ', ip: '', status: undefined, page: 1 })).toBe(
      '/admin/api/bindings?hint=sk-ab&page=1',
    )
    expect(apiUrl('/intercepts', { from: '2025-01-01T00:00:00.000Z' })).toBe(
      '/admin/api/intercepts?from=2025-01-01T00%3A00%3A00.000Z',
    )
    expect(apiUrl('/dashboard')).toBe('/admin/api/dashboard')
  })
})
