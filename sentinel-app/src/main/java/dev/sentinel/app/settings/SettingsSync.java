package dev.sentinel.app.settings;

import dev.sentinel.adapters.admin.Actor;
import dev.sentinel.adapters.admin.SettingsStore;
import dev.sentinel.domain.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@link LiveSettings} equal to the environment's values overlaid with the values
 * admins stored in PostgreSQL.
 *
 * <ol>
 *   <li>At start, and whenever {@link #reload()} is called (another replica announced a
 *       change), the stored values are read and put in force.</li>
 *   <li>A timer reloads every {@code reloadInterval} as well, because an announcement can be
 *       lost.</li>
 *   <li>{@link #change} validates, stores and puts the new values in force here at once; the
 *       caller then announces them to the other replicas.</li>
 * </ol>
 *
 * <p>A stored value that is no longer valid (written by hand, or by another version) is
 * ignored with a warning: that setting keeps the environment's value. While PostgreSQL is
 * unreachable the settings in force stay as they are.
 *
 * <p>Thread-safe: reloads and changes are serialised.
 */
public final class SettingsSync implements AutoCloseable {

    /** Where the value in force comes from. */
    public enum Source {
        /** The environment (or the YAML file): no admin changed it. */
        ENVIRONMENT,
        /** An admin's stored change. */
        ADMIN;

        /** Returns the API spelling: {@code environment} or {@code admin}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The settings in force and where each came from. Immutable and thread-safe.
     *
     * @param settings the values
     * @param sources the source of each setting
     */
    public record Snapshot(EffectiveSettings settings, Map<SettingField, Source> sources) {
        /** Copies the sources. */
        public Snapshot {
            Objects.requireNonNull(settings, "settings");
            sources = Collections.unmodifiableMap(new EnumMap<>(sources));
        }
    }

    private static final System.Logger LOG = System.getLogger(SettingsSync.class.getName());

    private final EffectiveSettings environment;
    private final SettingsStore store;
    private final LiveSettings live;
    private final Duration reloadInterval;
    private final Set<String> reportedInvalid = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile Snapshot snapshot;
    private volatile boolean storeFailing;
    private Thread timer;

    /**
     * Creates the synchroniser; nothing is read until {@link #start()}.
     *
     * @param environment the environment's values
     * @param store the stored admin changes
     * @param live the holder every component reads
     * @param reloadInterval how often stored values are read again regardless
     */
    public SettingsSync(EffectiveSettings environment, SettingsStore store, LiveSettings live,
            Duration reloadInterval) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.store = Objects.requireNonNull(store, "store");
        this.live = Objects.requireNonNull(live, "live");
        this.reloadInterval = Objects.requireNonNull(reloadInterval, "reloadInterval");
        this.snapshot = new Snapshot(environment, allFrom(Source.ENVIRONMENT));
    }

    /** Reads the stored values once, puts them in force, and starts the timer. */
    public void start() {
        reload();
        timer = Thread.ofVirtual().name("sentinel-settings-reload").start(this::reloadEvery);
    }

    /** Returns the settings in force and their sources. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Reads the stored values and puts them in force; keeps the current ones when PostgreSQL
     * does not answer.
     */
    public void reload() {
        synchronized (lock) {
            Map<String, String> stored;
            try {
                stored = store.load();
            } catch (StoreUnavailableException e) {
                if (!storeFailing) {
                    storeFailing = true;
                    LOG.log(Level.WARNING, "settings not reloaded; keeping those in force: {0}",
                            e.getMessage());
                }
                return;
            }
            storeFailing = false;
            putInForce(overlay(stored));
        }
    }

    /**
     * Validates, stores and puts in force new values, all or none.
     *
     * @param changes new values as the environment would spell them; empty text clears an
     *         optional setting
     * @param actor who asked
     * @return the settings in force afterwards
     * @throws IllegalArgumentException naming the first invalid setting, its value and what
     *         was expected; nothing is stored then
     * @throws StoreUnavailableException when PostgreSQL does not answer
     */
    public Snapshot change(Map<SettingField, String> changes, Actor actor) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(actor, "actor");
        synchronized (lock) {
            EffectiveSettings checked = snapshot.settings();
            Map<String, String> values = new TreeMap<>();
            List<String> described = new ArrayList<>();
            for (Map.Entry<SettingField, String> change : new EnumMap<>(changes).entrySet()) {
                SettingField field = change.getKey();
                checked = field.apply(checked, change.getValue());
                String canonical = field.canonical(change.getValue());
                values.put(field.variable(), canonical);
                described.add(field.apiName() + "=" + (field == SettingField.ALERT_WEBHOOK_URL
                        ? (canonical.isEmpty() ? "(none)" : "(changed)") : canonical));
            }
            store.save(values, String.join(" ", described), actor);
            Map<SettingField, Source> sources = new EnumMap<>(snapshot.sources());
            changes.keySet().forEach(field -> sources.put(field, Source.ADMIN));
            reloadAfterChange(new Snapshot(checked, sources));
            return snapshot;
        }
    }

    /**
     * Forgets an admin's value, so that the environment's applies again.
     *
     * @param field the setting
     * @param actor who asked
     * @return the settings in force afterwards
     * @throws StoreUnavailableException when PostgreSQL does not answer
     */
    public Snapshot reset(SettingField field, Actor actor) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(actor, "actor");
        synchronized (lock) {
            store.remove(field.variable(), actor);
            reloadAfterChange(snapshot);
            return snapshot;
        }
    }

    /** Stops the timer. */
    @Override
    public void close() {
        closing.countDown();
        Thread running = timer;
        if (running != null) {
            running.interrupt();
        }
    }

    /**
     * Reads back what is stored, which includes other replicas' concurrent changes. The write
     * just succeeded, so should this read fail, the caller's change is still put in force.
     */
    private void reloadAfterChange(Snapshot fallback) {
        try {
            putInForce(overlay(store.load()));
        } catch (StoreUnavailableException e) {
            putInForce(fallback);
        }
    }

    private Snapshot overlay(Map<String, String> stored) {
        EffectiveSettings settings = environment;
        Map<SettingField, Source> sources = allFrom(Source.ENVIRONMENT);
        for (SettingField field : SettingField.values()) {
            String text = stored.get(field.variable());
            if (text == null) {
                continue;
            }
            try {
                settings = field.apply(settings, text);
                sources.put(field, Source.ADMIN);
            } catch (IllegalArgumentException e) {
                if (reportedInvalid.add(field.variable() + "=" + text)) {
                    LOG.log(Level.WARNING, "stored setting ignored; the environment''s value "
                            + "applies: {0}", e.getMessage());
                }
            }
        }
        return new Snapshot(settings, sources);
    }

    private void putInForce(Snapshot next) {
        Snapshot previous = snapshot;
        snapshot = next;
        live.replace(next.settings());
        if (!previous.settings().equals(next.settings())) {
            LOG.log(Level.INFO, "live settings changed: {0}", describe(next));
        }
    }

    private void reloadEvery() {
        try {
            while (!closing.await(reloadInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    reload();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "settings reload failed", e);
                }
            }
        } catch (InterruptedException e) {
            // Closing.
        }
    }

    private static String describe(Snapshot snapshot) {
        StringBuilder line = new StringBuilder();
        for (SettingField field : SettingField.values()) {
            Object value = field.value(snapshot.settings());
            String shown = field == SettingField.ALERT_WEBHOOK_URL && value != null
                    ? "(set)" : String.valueOf(value);
            line.append(line.length() == 0 ? "" : " ").append(field.apiName()).append('=')
                    .append(shown).append('(').append(snapshot.sources().get(field).value())
                    .append(')');
        }
        return line.toString();
    }

    private static Map<SettingField, Source> allFrom(Source source) {
        Map<SettingField, Source> sources = new EnumMap<>(SettingField.class);
        for (SettingField field : SettingField.values()) {
            sources.put(field, source);
        }
        return sources;
    }
}
