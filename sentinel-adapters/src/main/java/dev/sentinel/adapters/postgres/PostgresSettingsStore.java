package dev.sentinel.adapters.postgres;

import dev.sentinel.adapters.admin.Actor;
import dev.sentinel.adapters.admin.SettingsStore;
import dev.sentinel.adapters.internal.StoreCircuit;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Live settings in PostgreSQL's {@code admin_setting} table, one row per changed setting.
 *
 * <p>Thread-safe: every call borrows its own pooled connection.
 */
final class PostgresSettingsStore implements SettingsStore {

    static final int MAX_VALUE_LENGTH = 2048;

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private static final String UPSERT = """
            INSERT INTO admin_setting (name, value, updated_at) VALUES (:name, :value, :now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value,
                    updated_at = excluded.updated_at""";

    private final Jdbi jdbi;
    private final StoreCircuit circuit;
    private final InstantSource clock;

    PostgresSettingsStore(Jdbi jdbi, StoreCircuit circuit, InstantSource clock) {
        this.jdbi = jdbi;
        this.circuit = circuit;
        this.clock = clock;
    }

    @Override
    public Map<String, String> load() {
        return circuit.call("load settings", () -> jdbi.withHandle(handle -> {
            Map<String, String> values = new TreeMap<>();
            handle.createQuery("SELECT name, value FROM admin_setting")
                    .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getString("value")))
                    .forEach(entry -> values.put(entry.getKey(), entry.getValue()));
            return values;
        }));
    }

    @Override
    public void save(Map<String, String> values, String auditDetail, Actor actor) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(auditDetail, "auditDetail");
        Objects.requireNonNull(actor, "actor");
        values.forEach(PostgresSettingsStore::check);
        circuit.run("save settings", () -> jdbi.useTransaction(handle -> {
            var batch = handle.prepareBatch(UPSERT);
            values.forEach((name, value) -> batch.bind("name", name).bind("value", value)
                    .bind("now", SqlText.timestamp(clock.instant())).add());
            batch.execute();
            AuditRows.insert(handle, clock.instant(), "settings.changed",
                    String.join(",", new TreeMap<>(values).keySet()), auditDetail, actor);
        }));
    }

    @Override
    public boolean remove(String name, Actor actor) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(actor, "actor");
        return circuit.call("reset a setting", () -> jdbi.inTransaction(handle -> {
            boolean removed = handle.createUpdate("DELETE FROM admin_setting WHERE name = :name")
                    .bind("name", name)
                    .execute() == 1;
            if (removed) {
                AuditRows.insert(handle, clock.instant(), "settings.reset", name,
                        "back to the environment's value", actor);
            }
            return removed;
        }));
    }

    private static void check(String name, String value) {
        Objects.requireNonNull(value, name);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("setting name '" + name + "' is not valid: "
                    + "expected an upper-case configuration variable");
        }
        if (value.length() > MAX_VALUE_LENGTH || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value of " + name + " has " + value.length()
                    + " characters or a NUL: expected at most " + MAX_VALUE_LENGTH);
        }
    }
}
