import { describe, expect, it } from 'vitest'

import { createSession } from './session'

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>()
  get length() {
    return this.items.size
  }
  clear() {
    this.items.clear()
  }
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
  setItem(key: string, value: string) {
    this.items.set(key, value)
  }
}

describe('admin session', () => {
  const now = Date.parse('2025-01-01T12:00:00Z')

  it('keeps the token in session storage and forgets it on sign-out', () => {
    const storage = new MemoryStorage()
    const session = createSession(storage, () => now)
    session.signIn({ token: 'abc', expiresAt: '2025-01-01T13:00:00Z' })

    expect(session.token()).toBe('abc')
    expect(createSession(storage, () => now).token()).toBe('abc')

    session.signOut()
    expect(session.token()).toBeNull()
    expect(storage.length).toBe(0)
  })

  it('treats an expired token as no session', () => {
    const storage = new MemoryStorage()
    createSession(storage, () => now).signIn({ token: 'abc', expiresAt: '2025-01-01T11:59:59Z' })

    const later = createSession(storage, () => now)
    expect(later.signedIn.value).toBe(false)
    expect(later.token()).toBeNull()
    expect(storage.length).toBe(0)
  })

  it('drops a damaged stored entry', () => {
    const storage = new MemoryStorage()
    storage.setItem('sentinel.admin.session', '{not json')
    expect(createSession(storage, () => now).token()).toBeNull()
    expect(storage.length).toBe(0)
  })
})
