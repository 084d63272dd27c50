/**
 * The binding store, intercept log and last-seen recorder on PostgreSQL (JDBI on HikariCP,
 * schema by Flyway), reached through {@link dev.sentinel.adapters.postgres.PostgresStores}.
 *
 * <p>Networks and addresses cross the driver as validated text with explicit casts
 * ({@code CAST(:rules AS cidr[])}) and come back as text for the domain's strict parsers, so
 * that no value is ever resolved as a host name.
 */
package dev.sentinel.adapters.postgres;
