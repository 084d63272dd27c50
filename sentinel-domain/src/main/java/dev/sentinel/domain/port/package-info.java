/** What the domain needs from outside, each port named for the need it serves. */
package dev.sentinel.domain.port;
