/**
 * A PostgreSQL server started from binaries for the embedded default (no
 * {@code DATABASE_URL}), with its data kept across restarts.
 */
package dev.sentinel.adapters.embedded;
