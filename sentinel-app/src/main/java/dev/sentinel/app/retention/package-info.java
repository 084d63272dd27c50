/** Archive retention: idle automatic bindings leave the binding table and the caches. */
package dev.sentinel.app.retention;
