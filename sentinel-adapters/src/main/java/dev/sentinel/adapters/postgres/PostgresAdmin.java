package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.admin.AdminAudit;
import dev.sentinel.adapters.admin.BindingAdmin;
import dev.sentinel.adapters.admin.InterceptQueries;
import dev.sentinel.adapters.admin.SettingsStore;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The admin API's stores on Sentinel's PostgreSQL: built on the same pool and circuit as the
 * request path's, so an outage is detected once for both.
 *
 * <p>Thread-safe; everything it returns is thread-safe too. It owns nothing: closing the
 * {@link PostgresStores} ends it.
 */
public final class PostgresAdmin {

    private final BindingAdmin bindingAdmin;
    private final InterceptQueries interceptQueries;
    private final SettingsStore settingsStore;
    private final AdminAudit audit;

    private PostgresAdmin(PostgresStores stores, InstantSource clock) {
        this.bindingAdmin = new PostgresBindingAdmin(stores.jdbi(), stores.circuit(), clock);
        this.interceptQueries = new PostgresInterceptQueries(stores.jdbi(), stores.circuit());
        this.settingsStore = new PostgresSettingsStore(stores.jdbi(), stores.circuit(), clock);
        this.audit = new PostgresAdminAudit(stores.jdbi(), stores.circuit(), clock);
    }

    /**
     * Builds the admin stores.
     *
     * @param stores the connected PostgreSQL stores
     * @param clock stamps changes and audit rows
     * @return the admin stores
     */
    public static PostgresAdmin on(PostgresStores stores, InstantSource clock) {
        return new PostgresAdmin(Objects.requireNonNull(stores, "stores"),
                Objects.requireNonNull(clock, "clock"));
    }

    /** Returns binding operations. */
    public BindingAdmin bindingAdmin() {
        return bindingAdmin;
    }

    /** Returns intercept-log queries. */
    public InterceptQueries interceptQueries() {
        return interceptQueries;
    }

    /** Returns the stored live settings. */
    public SettingsStore settingsStore() {
        return settingsStore;
    }

    /** Returns the admin audit. */
    public AdminAudit audit() {
        return audit;
    }
}
