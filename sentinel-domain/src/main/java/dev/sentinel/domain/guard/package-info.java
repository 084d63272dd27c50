/** The decision for one keyed request: allow, bind, intercept, refuse or failsafe. */
package dev.sentinel.domain.guard;
