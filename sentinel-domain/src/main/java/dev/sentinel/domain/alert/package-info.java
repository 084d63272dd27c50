/**
 * Alerts on abused keys: intercepts of one key are counted in fixed windows, and the first
 * count that reaches the threshold in a window raises one alert, however many replicas
 * counted.
 */
package dev.sentinel.domain.alert;
