package dev.sentinel.adapters.admin;

import dev.sentinel.adapters.admin.InterceptStats.AddressCount;
import dev.sentinel.adapters.admin.InterceptStats.HourCount;
import dev.sentinel.adapters.admin.InterceptStats.KeyCount;
import dev.sentinel.domain.StoreUnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the intercept log for admins: pages, a streamed export and the dashboard's counts.
 *
 * <p>These read the per-request rows only. Flood summaries (SPEC §5: one row per key and
 * minute past the per-key limit) are to be counted here too once they exist; this interface
 * is the seam where they join.
 *
 * <p>Implementations are thread-safe. Methods throw {@link StoreUnavailableException} when the
 * store cannot answer.
 */
public interface InterceptQueries {

    /**
     * Lists rows, newest first.
     *
     * @param filter which rows
     * @param page which page
     * @return the page
     */
    Page<InterceptEntry> list(InterceptFilter filter, PageRequest page);

    /**
     * Hands every matching row to {@code sink}, newest first, as the database delivers them:
     * the rows are never all in memory.
     *
     * @param filter which rows
     * @param sink receives each row; an exception it throws stops the export and is
     *         rethrown unchanged
     * @return how many rows were handed over
     */
    long export(InterceptFilter filter, Consumer<InterceptEntry> sink);

    /**
     * Counts intercepts per hour.
     *
     * @param since the first hour's start (truncated to the hour)
     * @param hours how many hours, each present in the result even when empty
     * @return one count per hour, oldest first
     */
    List<HourCount> perHour(Instant since, int hours);

    /**
     * Returns the keys with the most intercepts.
     *
     * @param since the start of the period counted
     * @param limit how many keys at most
     * @return the keys, most intercepted first
     */
    List<KeyCount> topKeys(Instant since, int limit);

    /**
     * Returns the client addresses with the most intercepts.
     *
     * @param since the start of the period counted
     * @param limit how many addresses at most
     * @return the addresses, most intercepted first
     */
    List<AddressCount> topAddresses(Instant since, int limit);
}
