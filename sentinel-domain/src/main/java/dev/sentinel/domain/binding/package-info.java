/** Bindings of keys to networks, intercepts, bind prefixes and exempt paths. */
package dev.sentinel.domain.binding;
