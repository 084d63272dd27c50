package dev.sentinel.app.admin;

import dev.sentinel.adapters.admin.BindingAdmin;
import dev.sentinel.adapters.admin.BindingCounts;
import dev.sentinel.adapters.admin.InterceptQueries;
import dev.sentinel.adapters.postgres.BufferedInterceptLog;
import dev.sentinel.domain.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /dashboard}: binding counts, intercepts per hour over the last day, the most
 * intercepted keys and addresses, the stores' states and the intercept buffer. While
 * PostgreSQL is down the counts are null and the states say so: the dashboard is where an
 * admin looks first during an outage.
 *
 * <p>Thread-safe.
 */
final class DashboardEndpoint {

    static final int HOURS = 24;
    static final int TOP = 10;

    private final BindingAdmin bindings;
    private final InterceptQueries intercepts;
    private final Supplier<Map<String, String>> storeStates;
    private final BufferedInterceptLog interceptLog;
    private final InstantSource clock;

    DashboardEndpoint(BindingAdmin bindings, InterceptQueries intercepts,
            Supplier<Map<String, String>> storeStates, BufferedInterceptLog interceptLog,
            InstantSource clock) {
        this.bindings = bindings;
        this.intercepts = intercepts;
        this.storeStates = storeStates;
        this.interceptLog = interceptLog;
        this.clock = clock;
    }

    record Dashboard(String generatedAt, BindingCounts bindings,
            List<HourView> interceptsPerHour, List<KeyView> topKeys, List<IpView> topIps,
            Map<String, String> stores, BufferView interceptLog) {
    }

    record HourView(String hour, long count) {
    }

    record KeyView(String tokenHash, String hint, long count) {
    }

    record IpView(String ip, long count) {
    }

    record BufferView(int buffered, long dropped) {
    }

    void show(AdminExchange exchange) {
        exchange.query(Set.of());
        Instant now = clock.instant();
        Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        Instant since = now.minus(Duration.ofHours(HOURS));
        BindingCounts counts = null;
        List<HourView> perHour = null;
        List<KeyView> topKeys = null;
        List<IpView> topIps = null;
        try {
            counts = bindings.counts();
            perHour = intercepts.perHour(firstHour, HOURS).stream()
                    .map(h -> new HourView(h.hour().toString(), h.count())).toList();
            topKeys = intercepts.topKeys(since, TOP).stream()
                    .map(k -> new KeyView(k.tokenHash().hex(), k.hint(), k.count())).toList();
            topIps = intercepts.topAddresses(since, TOP).stream()
                    .map(a -> new IpView(a.address().toString(), a.count())).toList();
        } catch (StoreUnavailableException e) {
            // Shown as nulls beside the store states, which say why.
        }
        exchange.json(200, new Dashboard(now.toString(), counts, perHour, topKeys, topIps,
                storeStates.get(), new BufferView(interceptLog.buffered(),
                        interceptLog.dropped())));
    }
}
