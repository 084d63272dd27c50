package dev.sentinel.domain.net;

import static dev.sentinel.domain.testing.RandomCases.bytes;
import static dev.sentinel.domain.testing.RandomCases.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Properties of {@link IpAddress} over random input, and its agreement with the JDK.
 *
 * <p>The JDK is only ever given IP literal text: {@link InetAddress#getByName} sends
 * anything it does not read as a literal to DNS, so hostnames, and digit strings it cannot
 * parse (such as {@code 1.2.3.4.5}), must never reach it. Every call goes through
 * {@link #jdkLiteral}, whose callers pass text that is a literal by construction.
 */
class IpAddressPropertyTest {

    private static final int CASES = 5_000;

    /** Four decimal parts 0-255 without leading zeros: the strict IPv4 form, written apart. */
    private static final Pattern STRICT_V4 = Pattern.compile(
            "(0|[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])"
                    + "(\\.(0|[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])){3}");

    @Test
    void anIpv4AddressSurvivesItsOwnText() {
        forAll(CASES, random -> bytes(random, 4), raw -> {
            IpAddress address = IpAddress.fromBytes(raw);

            assertThat(IpAddress.parse(address.toString())).contains(address);
        });
    }

    @Test
    void anIpv6AddressSurvivesItsOwnText() {
        forAll(CASES, IpAddressPropertyTest::v6WithZeroRuns, raw -> {
            IpAddress address = IpAddress.fromBytes(raw);

            assertThat(IpAddress.parse(address.toString())).contains(address);
        });
    }

    @Test
    void ipv6TextIsRfc5952Canonical() {
        forAll(CASES, IpAddressPropertyTest::v6WithZeroRuns, raw -> {
            IpAddress address = IpAddress.fromBytes(raw);
            if (address.isV4()) {
                return;
            }
            String text = address.toString();

            assertThat(text).isEqualTo(text.toLowerCase(Locale.ROOT)).hasSizeLessThan(40);
            assertThat(text.split("::", -1)).hasSizeLessThanOrEqualTo(2);
            for (String group : text.split(":")) {
                // No leading zeros: a group is empty (around ::), 0, or starts with 1-f.
                assertThat(group).as("group of %s", text).matches("|0|[1-9a-f][0-9a-f]{0,3}");
            }
            int[] longest = longestZeroRun(raw);
            int explicitGroups = text.equals("::") ? 0
                    : text.replace("::", ":").replaceAll("^:|:$", "").split(":").length;
            if (longest[1] >= 2) {
                assertThat(text).contains("::");
                assertThat(8 - explicitGroups).isEqualTo(longest[1]);
                assertThat(text.startsWith("::") ? 0 : text.substring(0, text.indexOf("::"))
                        .split(":").length).isEqualTo(longest[0]);
            } else {
                assertThat(text).doesNotContain("::");
                assertThat(explicitGroups).isEqualTo(8);
            }
        });
    }

    @Test
    void ipv4TextAgreesWithTheJdk() {
        forAll(CASES, random -> bytes(random, 4), raw -> {
            String text = IpAddress.fromBytes(raw).toString();

            assertThat(text).isEqualTo(jdkLiteral(text).getHostAddress());
        });
    }

    @Test
    void everyIpv6SpellingAgreesWithTheJdk() {
        forAll(CASES, IpAddressPropertyTest::v6Spelling, spelling -> {
            IpAddress expected = IpAddress.fromBytes(spelling.raw());

            assertThat(IpAddress.parse(spelling.text())).contains(expected);
            assertThat(IpAddress.fromInetAddress(jdkLiteral(spelling.text())))
                    .isEqualTo(expected);
        });
    }

    @Test
    void acceptsExactlyTheStrictIpv4Form() {
        AtomicInteger accepted = new AtomicInteger();
        forAll(CASES * 4, IpAddressPropertyTest::mutatedV4Text, text -> {
            Optional<IpAddress> parsed = IpAddress.parse(text);

            assertThat(parsed.isPresent()).isEqualTo(STRICT_V4.matcher(text).matches());
            parsed.ifPresent(address -> assertThat(address).hasToString(text));
            accepted.addAndGet(parsed.isPresent() ? 1 : 0);
        });

        // Near misses and hits both, or the property says little.
        assertThat(accepted.get()).isBetween(CASES / 5, CASES * 4 - CASES / 5);
    }

    @Test
    void whateverItAcceptsTheJdkReadsAsTheSameAddress() {
        // One direction only: this parser may refuse what the JDK takes, never the reverse.
        AtomicInteger accepted = new AtomicInteger();
        forAll(CASES * 4, IpAddressPropertyTest::mutatedV6Text, text -> {
            Optional<IpAddress> parsed = IpAddress.parse(text);
            if (parsed.isEmpty()) {
                return;
            }
            accepted.incrementAndGet();

            assertThat(IpAddress.fromInetAddress(jdkLiteral(text))).isEqualTo(parsed.get());
            assertThat(IpAddress.parse(parsed.get().toString())).isEqualTo(parsed);
        });

        assertThat(accepted.get()).isBetween(CASES / 5, CASES * 4 - CASES / 5);
    }

    @ParameterizedTest
    @CsvSource({
        "127.1, 127.0.0.1",
        "1.2.3, 1.2.0.3",
        "1, 0.0.0.1",
        "010.0.0.1, 10.0.0.1",
        "01.2.3.4, 1.2.3.4",
        "'[::1]', ::1",
        "'fe80::1%1', fe80::1",
        "'::ffff:01.2.3.4', 1.2.3.4"
    })
    void refusesShortFormsLeadingZerosBracketsAndZonesThatTheJdkAccepts(String text,
            String jdkReading) {
        // Each of these is an IP literal to the JDK (it parses them without DNS), so asking it
        // is safe; the point is that its reading is ambiguous or carries more than an address.
        assertThat(IpAddress.fromInetAddress(jdkLiteral(text)))
                .isEqualTo(IpAddress.of(jdkReading));
        assertThat(IpAddress.parse(text)).isEmpty();
    }

    /** Asks the JDK to read text the caller guarantees to be an IP literal. */
    private static InetAddress jdkLiteral(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError("the JDK does not read '" + literal + "' as an IP", e);
        }
    }

    /** 16 random bytes with runs of zero groups, so that compression is exercised. */
    private static byte[] v6WithZeroRuns(SplittableRandom random) {
        byte[] raw = bytes(random, 16);
        int runs = random.nextInt(3);
        for (int r = 0; r < runs; r++) {
            int start = random.nextInt(8);
            int length = 1 + random.nextInt(8 - start);
            for (int g = start; g < start + length; g++) {
                raw[2 * g] = 0;
                raw[2 * g + 1] = 0;
            }
        }
        if (random.nextInt(20) == 0) {
            // Occasionally an IPv4-mapped address, which must come back as IPv4.
            Arrays.fill(raw, 0, 10, (byte) 0);
            raw[10] = (byte) 0xff;
            raw[11] = (byte) 0xff;
        }
        return raw;
    }

    /** Returns {start, length} of the first longest run of zero groups. */
    private static int[] longestZeroRun(byte[] raw) {
        int bestStart = -1;
        int bestLength = 0;
        int g = 0;
        while (g < 8) {
            int end = g;
            while (end < 8 && raw[2 * end] == 0 && raw[2 * end + 1] == 0) {
                end++;
            }
            if (end - g > bestLength) {
                bestStart = g;
                bestLength = end - g;
            }
            g = end == g ? g + 1 : end;
        }
        return new int[] {bestStart, bestLength};
    }

    private record Spelling(byte[] raw, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Writes random bytes in one of the RFC 4291 forms: full or with {@code ::} over any run
     * of zero groups, groups padded with up to three leading zeros, random letter case, and
     * sometimes a dotted IPv4 tail.
     */
    private static Spelling v6Spelling(SplittableRandom random) {
        byte[] raw = v6WithZeroRuns(random);
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
        }
        boolean v4Tail = random.nextInt(4) == 0;
        int hexGroups = v4Tail ? 6 : 8;

        int elideStart = -1;
        int elideLength = 0;
        if (random.nextBoolean()) {
            int start = random.nextInt(hexGroups);
            int end = start;
            while (end < hexGroups && groups[end] == 0) {
                end++;
            }
            if (end > start) {
                elideStart = start;
                elideLength = 1 + random.nextInt(end - start);
            }
        }

        StringBuilder text = new StringBuilder();
        for (int i = 0; i < hexGroups; i++) {
            if (i == elideStart) {
                text.append(i == 0 ? "::" : ":");
                i += elideLength - 1;
                continue;
            }
            String group = Integer.toHexString(groups[i]);
            group = "000".substring(0, random.nextInt(5 - group.length())) + group;
            if (random.nextBoolean()) {
                group = group.toUpperCase(Locale.ROOT);
            }
            text.append(group);
            boolean lastHex = i == hexGroups - 1;
            if (!lastHex || v4Tail) {
                text.append(':');
            }
        }
        if (v4Tail) {
            text.append(raw[12] & 0xff).append('.').append(raw[13] & 0xff).append('.')
                    .append(raw[14] & 0xff).append('.').append(raw[15] & 0xff);
        }
        return new Spelling(raw, text.toString());
    }

    private static final String V4_ALPHABET = "0123456789.x+- ";
    private static final String V6_ALPHABET = "0123456789abcdefABCDEF:.";

    /** A strict IPv4 literal with a few random edits: most are near misses. */
    private static String mutatedV4Text(SplittableRandom random) {
        String text = IpAddress.fromBytes(bytes(random, 4)).toString();
        return mutate(random, text, V4_ALPHABET);
    }

    /**
     * An IPv6 spelling with a few random edits. It always keeps a colon, so when the JDK is
     * asked about it, it is read as an IPv6 literal or refused, never looked up.
     */
    private static String mutatedV6Text(SplittableRandom random) {
        String text = mutate(random, v6Spelling(random).text(), V6_ALPHABET);
        return text.indexOf(':') >= 0 ? text : "::";
    }

    private static String mutate(SplittableRandom random, String text, String alphabet) {
        StringBuilder edited = new StringBuilder(text);
        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = edited.isEmpty() ? 0 : random.nextInt(edited.length());
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> edited.insert(at, c);
                case 1 -> {
                    if (!edited.isEmpty()) {
                        edited.deleteCharAt(at);
                    }
                }
                default -> {
                    if (!edited.isEmpty()) {
                        edited.setCharAt(at, c);
                    }
                }
            }
        }
        return edited.toString();
    }
}
