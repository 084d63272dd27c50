package dev.sentinel.adapters.admin;

/**
 * Tells the other replicas that the stored settings changed, so that each reloads them
 * from PostgreSQL at once. A message can be lost (a replica cut off from Redis); replicas
 * also reload on a timer, so a lost message only delays the change.
 *
 * <p>Implementations are thread-safe and never throw: an announcement that cannot be sent
 * is left to the timer.
 */
public interface SettingsNotices {

    /**
     * Without a shared message bus there is nobody to tell: a single process applies its own
     * changes at once, and replicas that share only PostgreSQL find them by their timer.
     */
    SettingsNotices NONE = () -> { };

    /** Announces that the stored settings changed. */
    void announce();
}
