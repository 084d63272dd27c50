/**
 * Alert wiring: intercepts reach the domain's alert policy on a thread of their own, raised
 * alerts go to the webhook sink, and each delivery's outcome is recorded and logged.
 */
package dev.sentinel.app.alert;
