package dev.sentinel.app.admin;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sentinel.adapters.admin.AdminAudit;
import dev.sentinel.adapters.admin.InterceptEntry;
import dev.sentinel.adapters.admin.InterceptFilter;
import dev.sentinel.adapters.admin.InterceptQueries;
import dev.sentinel.domain.binding.Intercept;
import dev.sentinel.domain.net.Cidr;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The intercept log: filtered pages, and a CSV export streamed row by row from a database
 * cursor to the client, so its size is bounded by neither memory nor a page limit.
 *
 * <p>Thread-safe.
 */
final class InterceptEndpoints {

    private static final System.Logger LOG =
            System.getLogger(InterceptEndpoints.class.getName());
    private static final Set<String> FILTERS = Set.of("from", "to", "hint", "hashPrefix", "ip",
            "reason");
    private static final Set<String> LIST_PARAMETERS = union(FILTERS, Set.of("page", "size"));
    private static final int FLUSH_EVERY_ROWS = 200;

    /** The export's columns, in order. */
    static final String[] COLUMNS = {"id", "at", "tokenHash", "hint", "clientIp",
        "boundRules", "method", "path", "userAgent", "reason"};

    /** Quotes a cell only where CSV needs it, so plain values stay readable. */
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final CsvSchema SCHEMA = schema();

    private final InterceptQueries intercepts;
    private final AdminAudit audit;
    private final InstantSource clock;

    InterceptEndpoints(InterceptQueries intercepts, AdminAudit audit, InstantSource clock) {
        this.intercepts = intercepts;
        this.audit = audit;
        this.clock = clock;
    }

    void list(AdminExchange exchange) {
        QueryParams query = exchange.query(LIST_PARAMETERS);
        InterceptFilter filter = filter(query);
        exchange.json(200, Views.PageView.of(intercepts.list(filter, query.page()),
                Views.InterceptView::of));
    }

    /**
     * Streams the CSV:
     * <ol>
     *   <li>Validate the filter and audit the export while an error can still be JSON.</li>
     *   <li>Send the headers and the header row.</li>
     *   <li>Write each row as the cursor delivers it, flushing every few rows so the
     *       client sees progress and nothing piles up.</li>
     *   <li>A failure after the first byte cannot become an error body: the connection is
     *       closed, and the client sees a truncated download rather than a complete-looking
     *       file.</li>
     * </ol>
     */
    void export(AdminExchange exchange) {
        QueryParams query = exchange.query(FILTERS);
        InterceptFilter filter = filter(query);
        audit.record("intercepts.exported", "intercept_log", describe(filter),
                exchange.actor());

        ServerResponse response = exchange.response();
        response.status(Status.OK_200);
        AdminResponses.commonHeaders(response, exchange.requestId());
        response.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        response.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"intercepts-"
                + clock.instant().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-')
                + ".csv\"");
        long rows;
        try (OutputStream out = response.outputStream();
                SequenceWriter writer = CSV.writerFor(String[].class).with(SCHEMA)
                        .writeValues(out)) {
            writer.flush();
            long[] written = new long[1];
            rows = intercepts.export(filter, entry -> {
                try {
                    writer.write(row(entry));
                    if (++written[0] % FLUSH_EVERY_ROWS == 0) {
                        writer.flush();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.log(Level.INFO, "admin action=intercepts.exported rows={0} ip={1}",
                String.valueOf(rows), exchange.actor().address().toString());
    }

    static String[] row(InterceptEntry entry) {
        Intercept row = entry.intercept();
        return new String[] {
            Long.toString(entry.id()),
            row.at().toString(),
            row.tokenHash().hex(),
            cell(row.hint()),
            row.clientIp().toString(),
            row.boundRules().stream().map(Cidr::toString).collect(Collectors.joining(" ")),
            cell(row.method()),
            cell(row.path()),
            cell(row.userAgent()),
            row.reason().code()
        };
    }

    /**
     * Defuses formula injection: a spreadsheet runs a cell that starts with {@code =},
     * {@code +}, {@code -}, {@code @}, a tab or a carriage return, and clients choose the
     * user agent and the path. A leading apostrophe makes it text.
     */
    static String cell(String text) {
        if (text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@'
                || first == '\t' || first == '\r';
        return formula ? "'" + text : text;
    }

    private static InterceptFilter filter(QueryParams query) {
        try {
            return new InterceptFilter(query.instant("from"), query.instant("to"),
                    query.text("hint"), query.hashPrefix(), query.network("ip"),
                    query.reason());
        } catch (IllegalArgumentException e) {
            throw AdminProblem.badRequest("invalid_parameter", e.getMessage());
        }
    }

    private static String describe(InterceptFilter filter) {
        StringBuilder text = new StringBuilder();
        filter.from().ifPresent(v -> text.append("from=").append(v).append(' '));
        filter.to().ifPresent(v -> text.append("to=").append(v).append(' '));
        filter.hint().ifPresent(v -> text.append("hint=").append(v).append(' '));
        filter.hashPrefix().ifPresent(v -> text.append("hashPrefix=").append(v).append(' '));
        filter.network().ifPresent(v -> text.append("ip=").append(v).append(' '));
        filter.reason().ifPresent(v -> text.append("reason=").append(v.code()).append(' '));
        return text.toString().strip();
    }

    private static CsvSchema schema() {
        CsvSchema.Builder builder = CsvSchema.builder();
        for (String column : COLUMNS) {
            builder.addColumn(column);
        }
        return builder.build().withHeader();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream())
                .collect(Collectors.toUnmodifiableSet());
    }
}
