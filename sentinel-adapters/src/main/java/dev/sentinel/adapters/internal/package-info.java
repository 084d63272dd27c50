/**
 * Machinery shared by the adapter packages. It is public only so that the PostgreSQL and
 * Redis packages can both use it; applications should not depend on it.
 */
package dev.sentinel.adapters.internal;
