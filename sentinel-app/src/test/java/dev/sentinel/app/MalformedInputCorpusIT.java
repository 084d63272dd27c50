package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.RawDownstream;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and hostile requests, sent as raw bytes from a table
 * ({@code corpus/malformed-input.txt}). Each must end in the documented 4xx, a pass, or a
 * closed connection: never a 5xx (but 501 and 505, which name an unsupported coding or
 * version), never a hang, and nothing may reach New API carrying a
 * key that is not bound to the client it came from.
 *
 * <p>A line of the table is {@code expected | options | name | request}: the status, or
 * {@code close} for a connection closed without an answer; options {@code proxy} (sent
 * from a trusted proxy), {@code eof} (the client stops sending after the request),
 * {@code management} (sent to the management port) or {@code -}; the request with
 * {@code \r \n \t \0 \xHH} escapes and placeholders (see {@link #expand}).
 */
class MalformedInputCorpusIT {

    private static final String CLIENT = "127.0.0.2";
    private static final String TRUSTED_PROXY = "127.0.0.3";
    private static final int READ_TIMEOUT_MILLIS = 5000;
    private static final Pattern REPEAT = Pattern.compile("\\{REPEAT (\\d+) ([^{}]*)}");
    private static final Map<String, Integer> OUTCOMES = new TreeMap<>();

    private static RawDownstream downstream;
    private static SentinelUnderTest sentinel;
    private static final Map<String, String> NAMED_KEYS = new HashMap<>();
    private static final List<String> CASE_KEYS = new ArrayList<>();
    private static String adminToken;

    @BeforeAll
    static void start() throws IOException {
        downstream = RawDownstream.start();
        sentinel = SentinelUnderTest.start("corpus", Map.of("DOWNSTREAM_URL", downstream.url(),
                "TRUSTED_PROXY_IPS", TRUSTED_PROXY + "/32", "BIND_RATE_PER_IP", "0",
                "MAX_REQUEST_BODY_MB", "1"));
        for (String name : List.of("MINE", "OTHER", "BANNED", "TARGET")) {
            NAMED_KEYS.put(name, Keys.fresh());
        }
        sentinel.insertBinding(NAMED_KEYS.get("MINE"), CLIENT + "/32");
        sentinel.insertBinding(NAMED_KEYS.get("OTHER"), "10.9.9.9/32");
        sentinel.insertBinding(NAMED_KEYS.get("BANNED"), CLIENT + "/32");
        sentinel.insertBinding(NAMED_KEYS.get("TARGET"), "192.0.2.0/24");
        sentinel.execute("UPDATE binding SET status = 'banned' WHERE token_hash = '"
                + sentinel.tokenHash(NAMED_KEYS.get("BANNED")).hex() + "'");
        adminToken = sentinel.admin().token();
    }

    @AfterAll
    static void stop() throws IOException {
        String counts = "malformed-input corpus outcomes " + OUTCOMES + " total="
                + OUTCOMES.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println(counts);
        Files.writeString(Path.of("target", "malformed-input-outcomes.txt"), counts + "\n");
        sentinel.close();
        downstream.close();
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = MalformedInputCorpusIT.class.getResourceAsStream(
                "/corpus/malformed-input.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(" \\| ", 4);
                cases.add(new Case(fields[0].strip(), Set.of(fields[1].strip().split(",")),
                        fields[2].strip(), fields[3]));
            }
        }
        assertThat(cases.stream().map(Case::name).distinct().count())
                .as("case names are unique").isEqualTo(cases.size());
        assertThat(cases).as("the corpus is large enough to mean something")
                .hasSizeGreaterThan(150);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsInItsDocumentedAnswerAndNeverLetsAnUncheckedKeyThrough(Case testCase)
            throws IOException {
        // 501 and 505 name what HTTP/1.1 itself cannot carry here (a transfer coding, a
        // version); every other 5xx would be Sentinel failing on the client's input.
        assertThat(testCase.expected()).as("a 5xx is never the documented answer")
                .matches("close|[1-4]\\d\\d|501|505");
        downstream.clear();
        String source = testCase.options().contains("proxy") ? TRUSTED_PROXY : CLIENT;

        InetSocketAddress port = testCase.options().contains("management")
                ? new InetSocketAddress("127.0.0.1", sentinel.sentinel().managementPort())
                : sentinel.sentinel().publicAddress();
        String outcome = send(source, port, expand(testCase.request()),
                testCase.options().contains("eof"));
        synchronized (OUTCOMES) {
            OUTCOMES.merge(outcome, 1, Integer::sum);
        }

        assertThat(outcome).as("answer to " + testCase.name()).isEqualTo(testCase.expected());
        // A first use whose request broke off is undone: then its key is unbound again.
        boolean answeredByNewApi = outcome.equals("200");
        for (String head : downstream.heads()) {
            assertOnlyCheckedKeys(head, testCase.options().contains("proxy"), answeredByNewApi);
        }
    }

    /**
     * Every key New API received must be bound, active, to the address Sentinel sent as the
     * client's (a direct client is the TCP peer), or be unbound on a path that never binds:
     * one under {@code /api/} once decoded and normalised, without an {@code /mj/} segment.
     */
    private static void assertOnlyCheckedKeys(String head, boolean viaProxy,
            boolean answeredByNewApi) {
        List<String> realIps = headerValues(head, "x-real-ip");
        assertThat(realIps).as("one X-Real-IP reaches New API").hasSize(1);
        String client = realIps.get(0);
        if (!viaProxy) {
            assertThat(client).isEqualTo(CLIENT);
        }
        List<String> known = new ArrayList<>(NAMED_KEYS.values());
        synchronized (CASE_KEYS) {
            known.addAll(CASE_KEYS);
        }
        String lowerHead = head.toLowerCase(Locale.ROOT);
        for (String key : known) {
            if (lowerHead.contains(Keys.body(key).toLowerCase(Locale.ROOT))) {
                assertThat(boundActiveAt(key, client)
                        || (unbound(key) && (exemptTarget(firstLine(head))
                                || !answeredByNewApi)))
                        .as("a key reached New API from %s without an active binding there: "
                                + "%s", client, firstLine(head))
                        .isTrue();
            }
        }
    }

    private static boolean unbound(String key) {
        return sentinel.queryInt("SELECT count(*) FROM " + sentinel.schema() + ".binding "
                + "WHERE token_hash = '" + sentinel.tokenHash(key).hex() + "'") == 0;
    }

    private static boolean exemptTarget(String requestLine) {
        String target = requestLine.split(" ")[1];
        int query = target.indexOf('?');
        String path;
        try {
            path = URLDecoder.decode((query < 0 ? target : target.substring(0, query))
                    .replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
            } else if (!segment.equals(".") && !segment.isEmpty()) {
                segments.add(segment);
            }
        }
        String normal = "/" + String.join("/", segments) + "/";
        return normal.startsWith("/api/") && !normal.contains("/mj/");
    }

    private static boolean boundActiveAt(String key, String client) {
        try (Connection connection = TestStores.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) "
                        + "FROM " + sentinel.schema() + ".binding WHERE token_hash = ? AND "
                        + "status = 'active' AND CAST(? AS inet) <<= ANY(rules)")) {
            statement.setString(1, sentinel.tokenHash(key).hex());
            statement.setString(2, client);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Expands placeholders: {@code {KEY}}/{@code {KEY2}} fresh keys (one each per case),
     * {@code {MINE}} bound to the client, {@code {OTHER}} bound elsewhere, {@code {BANNED}}
     * banned, {@code {TARGET}} and its hash {@code {HASH}} for the admin API,
     * {@code {ADMIN}} an admin token, {@code {REPEAT n text}} and {@code {CL}}, the length
     * of what follows the head.
     */
    static byte[] expand(String template) {
        String text = template;
        // Innermost first: a repeated text may itself hold a repetition.
        for (Matcher repeat = REPEAT.matcher(text); repeat.find(); repeat = REPEAT.matcher(text)) {
            text = text.substring(0, repeat.start())
                    + repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))
                    + text.substring(repeat.end());
        }
        for (String fresh : List.of("{KEY}", "{KEY2}")) {
            if (text.contains(fresh)) {
                String key = Keys.fresh();
                synchronized (CASE_KEYS) {
                    CASE_KEYS.add(key);
                }
                text = text.replace(fresh, key);
            }
        }
        for (Map.Entry<String, String> named : NAMED_KEYS.entrySet()) {
            text = text.replace("{" + named.getKey() + "}", named.getValue());
        }
        text = text.replace("{HASH}", sentinel.tokenHash(NAMED_KEYS.get("TARGET")).hex())
                .replace("{ADMIN}", adminToken);

        byte[] bytes = unescape(text);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = latin.indexOf("\r\n\r\n");
        if (latin.contains("{CL}")) {
            int bodyLength = bytes.length - (headEnd + 4);
            latin = latin.replace("{CL}", Integer.toString(bodyLength));
        }
        return latin.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.write(next);
            }
        }
        return out.toByteArray();
    }

    /**
     * Sends the bytes and returns the status of the first answer, or {@code close} when the
     * connection ended without one. A silent connection fails the test: that is a hang.
     */
    private static String send(String source, InetSocketAddress port, byte[] request,
            boolean endOfInput)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(port, 5000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
                if (endOfInput) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // Sentinel may answer and close before the whole request was written.
            }
            return readStatus(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return fail("no answer and no close within " + READ_TIMEOUT_MILLIS + " ms: a hang");
        }
    }

    private static String readStatus(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            return "close";
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        if (status >= 400) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            assertThat(body).as("a refusal is JSON in the error shape").startsWith("{\"error\"");
        }
        return Integer.toString(status);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        try {
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
        } catch (IOException e) {
            if (e instanceof SocketTimeoutException) {
                throw e;
            }
            // A reset after the server closed counts as a close.
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static List<String> headerValues(String head, String lowerName) {
        List<String> values = new ArrayList<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT)
                    .equals(lowerName)) {
                values.add(line.substring(colon + 1).strip());
            }
        }
        return values;
    }

    private static String firstLine(String head) {
        int end = head.indexOf("\r\n");
        return end < 0 ? head : head.substring(0, end);
    }

    /**
     * One row of the table.
     *
     * @param expected the status, or {@code close}
     * @param options {@code proxy}, {@code eof}, {@code management}, or {@code -}
     * @param name what the case is
     * @param request the request template
     */
    record Case(String expected, Set<String> options, String name, String request) {
        @Override
        public String toString() {
            return name + " -> " + expected;
        }
    }
}
