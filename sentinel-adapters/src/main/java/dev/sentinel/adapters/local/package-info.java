/**
 * In-process stand-ins for Redis, for the embedded default that runs one process without
 * it: a binding cache and a new-binding counter, reached through
 * {@link dev.sentinel.adapters.local.LocalStores}.
 */
package dev.sentinel.adapters.local;
