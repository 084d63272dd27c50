/** Strict IP addresses and networks, and deciding which address a request comes from. */
package dev.sentinel.domain.net;
