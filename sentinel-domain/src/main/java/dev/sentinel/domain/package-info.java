/**
 * Sentinel's domain: the policies that bind a model API key to the network it is first used
 * from and stop it anywhere else, behind ports for everything outside (stores, caches, logs,
 * time). It depends on the JDK only and forces no framework or logging library on an
 * embedder.
 *
 * <ul>
 *   <li>{@code net}: strict IP and CIDR values, client-address resolution.</li>
 *   <li>{@code credential}: finding, canonicalising and hashing keys.</li>
 *   <li>{@code binding}: bindings, intercepts, bind prefixes and exempt paths.</li>
 *   <li>{@code port}: what the domain needs from outside.</li>
 *   <li>{@code guard}: the decision for one request.</li>
 *   <li>{@code alert}: when a key's intercepts raise an alert.</li>
 * </ul>
 *
 * <p>Every public type states its thread-safety; values are immutable, and no method returns
 * {@code null}.
 */
package dev.sentinel.domain;
