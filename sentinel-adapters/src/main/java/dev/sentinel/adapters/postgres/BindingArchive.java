package dev.sentinel.adapters.postgres;

import dev.sentinel.domain.credential.TokenHash;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Moves idle bindings into the archive table: active ones whose rules no admin set and
 * whose last allowed use is older than a cutoff. Banned and admin-edited bindings stay. One
 * replica at a time runs it; another that tries meanwhile is told the archive is busy.
 *
 * <p>Thread-safe.
 */
public interface BindingArchive {

    /**
     * Archives idle bindings in one transaction, at most {@code limit} of them.
     *
     * @param lastAllowedBefore bindings last allowed before this instant are idle
     * @param archivedAt the time written to the archive rows
     * @param limit the most bindings moved in one run; the next run continues
     * @return what was archived, or busy when another replica is archiving
     * @throws dev.sentinel.domain.StoreUnavailableException when PostgreSQL cannot answer
     */
    ArchiveRun archiveIdle(Instant lastAllowedBefore, Instant archivedAt, int limit);

    /** The outcome of one run. */
    sealed interface ArchiveRun {
    }

    /**
     * The run moved these bindings; the caller evicts them from the caches.
     *
     * @param tokenHashes the keys whose bindings moved
     */
    record Archived(List<TokenHash> tokenHashes) implements ArchiveRun {
        /** Copies the list. */
        public Archived {
            tokenHashes = List.copyOf(Objects.requireNonNull(tokenHashes, "tokenHashes"));
        }
    }

    /** Another replica holds the archive lock; nothing was done. */
    record Busy() implements ArchiveRun {
    }
}
