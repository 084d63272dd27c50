/** Finding model API keys in a request, in canonical form, and their HMAC identities. */
package dev.sentinel.domain.credential;
