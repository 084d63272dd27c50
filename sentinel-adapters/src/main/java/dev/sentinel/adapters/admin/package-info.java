/**
 * What the admin API needs from the stores, named for the need and free of HTTP: binding
 * operations ({@link dev.sentinel.adapters.admin.BindingAdmin}), intercept-log queries
 * ({@link dev.sentinel.adapters.admin.InterceptQueries}), stored live settings
 * ({@link dev.sentinel.adapters.admin.SettingsStore}) and the announcement of their changes
 * ({@link dev.sentinel.adapters.admin.SettingsNotices}), the audit of admin actions
 * ({@link dev.sentinel.adapters.admin.AdminAudit}), and the login lockout counter
 * ({@link dev.sentinel.adapters.admin.LoginAttempts}).
 *
 * <p>The PostgreSQL implementations come from
 * {@link dev.sentinel.adapters.postgres.PostgresAdmin}; the lockout counter and the
 * announcements from {@link dev.sentinel.adapters.redis.RedisStores} or
 * {@link dev.sentinel.adapters.local.LocalStores}. Every change a store method makes is
 * audited in the same transaction, so no change goes unrecorded.
 */
package dev.sentinel.adapters.admin;
