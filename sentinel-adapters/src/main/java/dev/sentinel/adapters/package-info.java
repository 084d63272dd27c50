/**
 * The domain's ports on real stores: PostgreSQL (authoritative), Redis (shared cache and
 * counters), in-process fallbacks and alert webhooks, each reached through a public factory.
 *
 * <ul>
 *   <li>{@code postgres}: {@link dev.sentinel.adapters.postgres.PostgresStores}.</li>
 *   <li>{@code embedded}: {@link dev.sentinel.adapters.embedded.EmbeddedDatabase}, a
 *       PostgreSQL started from binaries for the embedded default.</li>
 *   <li>{@code redis}: {@link dev.sentinel.adapters.redis.RedisStores}.</li>
 *   <li>{@code local}: {@link dev.sentinel.adapters.local.LocalStores}, in-process cache and
 *       counters when there is no Redis.</li>
 *   <li>{@code webhook}: {@link dev.sentinel.adapters.webhook.WebhookAlertSink}, alert
 *       delivery with timeout and bounded retries.</li>
 *   <li>{@code internal}: shared machinery that is public only because several packages use
 *       it; not an API.</li>
 * </ul>
 *
 * <p>A dead store is detected once and re-probed in the background; every change of its state
 * is reported once to a {@link dev.sentinel.adapters.StoreStateListener}.
 */
package dev.sentinel.adapters;
