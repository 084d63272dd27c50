package dev.sentinel.app;

import static dev.sentinel.app.support.AdminClient.json;
import static dev.sentinel.app.support.AdminClient.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.app.support.AdminClient;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.NewApiStandIn.Received;
import dev.sentinel.app.support.SentinelUnderTest;
import dev.sentinel.app.support.TestStores;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * First uses raced across two replicas on one PostgreSQL schema and one Redis prefix: a
 * thousand requests from fifty client addresses (127.0.0.2 to 127.0.0.51), each
 * connection open before any request is sent, half through each replica. Exactly one
 * address wins each key; every request from the others is refused with 403 and never
 * reaches New API.
 */
class FirstUseAcrossReplicasIT {

    private static final int ADDRESSES = 50;

    private static SentinelUnderTest sentinel;
    private static Sentinel one;
    private static Sentinel two;

    @BeforeAll
    static void start() {
        // The race is the subject here, not the per-network allowance.
        sentinel = SentinelUnderTest.start("race_replicas", Map.of("BIND_RATE_PER_IP",
                "100000"));
        one = sentinel.sentinel();
        two = sentinel.startInstance();
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void aThousandFirstUsesOfOneKeyFromFiftyAddressesOnTwoReplicasBindItOnce()
            throws Exception {
        String key = Keys.fresh();
        List<Shot> shots = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // Each address sends twenty requests, ten through each replica.
            shots.add(new Shot(key, address(i % ADDRESSES), (i / ADDRESSES) % 2 == 0
                    ? one : two));
        }
        sentinel.downstream().clear();

        List<Response> answers = fireAtOnce(shots);

        Tally tally = tally(key, shots, answers);
        System.out.printf("race one key: bindings=%d winner=%s allowed=%d refused403=%d "
                + "otherStatuses=%d downstreamFromLosers=%d downstreamFromWinner=%d%n",
                tally.rows(), tally.winner(), tally.allowed(), tally.refused(), tally.other(),
                tally.downstreamFromLosers(), tally.downstreamFromWinner());
        assertThat(tally.rows()).as("binding rows in PostgreSQL").isEqualTo(1);
        assertThat(tally.allowed()).as("answers 200, all from the winner").isEqualTo(20);
        assertThat(tally.refused()).as("answers 403, all from the 49 others").isEqualTo(980);
        assertThat(tally.other()).isZero();
        assertThat(tally.downstreamFromLosers()).isZero();
        assertThat(tally.downstreamFromWinner()).isEqualTo(20);
        assertAdminsSeeOneRule(key, tally.winner());
    }

    @Test
    void aHundredKeysRacedAtOnceFromFiftyAddressesOnTwoReplicasEachBindOnce()
            throws Exception {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            keys.add(Keys.fresh());
        }
        List<Shot> shots = new ArrayList<>();
        for (int j = 0; j < 10; j++) {
            for (int k = 0; k < 100; k++) {
                // Ten different addresses per key, alternating replicas.
                shots.add(new Shot(keys.get(k), address((k * 7 + j * 5) % ADDRESSES),
                        j % 2 == 0 ? one : two));
            }
        }
        sentinel.downstream().clear();

        List<Response> answers = fireAtOnce(shots);

        int bindings = 0;
        int refused = 0;
        int fromLosers = 0;
        for (String key : keys) {
            Tally tally = tally(key, shots, answers);
            assertThat(tally.rows()).as("binding rows of one key").isEqualTo(1);
            assertThat(tally.allowed()).isEqualTo(1);
            assertThat(tally.refused()).isEqualTo(9);
            assertThat(tally.other()).isZero();
            assertThat(tally.downstreamFromLosers()).isZero();
            assertThat(tally.downstreamFromWinner()).isEqualTo(1);
            bindings += tally.rows();
            refused += tally.refused();
            fromLosers += tally.downstreamFromLosers();
        }
        System.out.printf("race 100 keys: bindings=%d refused403=%d downstreamFromLosers=%d%n",
                bindings, refused, fromLosers);
        for (int k = 0; k < keys.size(); k += 10) {
            String key = keys.get(k);
            assertAdminsSeeOneRule(key, sentinel.rulesByHint(FirstUseIT.hint(key)).get(0)
                    .replace("/32", ""));
        }
    }

    /** Opens every connection, then sends every request at once; answers in shot order. */
    private static List<Response> fireAtOnce(List<Shot> shots) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (Shot shot : shots) {
                sockets.add(sentinel.from(shot.address(), shot.instance()).connect());
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> pending = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < shots.size(); i++) {
                    Socket socket = sockets.get(i);
                    byte[] request = LoopbackClient.request("GET", "/v1/models",
                            new String[] {"Authorization: Bearer " + shots.get(i).key()}, null);
                    pending.add(threads.submit(() -> {
                        go.await();
                        return LoopbackClient.exchange(socket, request);
                    }));
                }
                go.countDown();
            }
            List<Response> answers = new ArrayList<>();
            for (Future<Response> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static Tally tally(String key, List<Shot> shots, List<Response> answers) {
        List<String> rules = sentinel.rulesByHint(FirstUseIT.hint(key));
        assertThat(rules).as("rules of the one binding").hasSize(1);
        String winner = rules.get(0).replace("/32", "");
        int allowed = 0;
        int refused = 0;
        int other = 0;
        for (int i = 0; i < shots.size(); i++) {
            Shot shot = shots.get(i);
            if (!shot.key().equals(key)) {
                continue;
            }
            int status = answers.get(i).status();
            boolean fromWinner = shot.address().equals(winner);
            if (fromWinner && status == 200) {
                allowed++;
            } else if (!fromWinner && status == 403
                    && answers.get(i).body().contains("\"code\":\"access_denied\"")) {
                refused++;
            } else {
                other++;
            }
        }
        int fromLosers = 0;
        int fromWinner = 0;
        for (Received received : sentinel.downstream().received()) {
            if (!String.join(" ", received.header("authorization")).contains(key)) {
                continue;
            }
            if (received.header("x-real-ip").equals(List.of(winner))) {
                fromWinner++;
            } else {
                fromLosers++;
            }
        }
        return new Tally(rowsOf(key), winner, allowed, refused, other, fromLosers,
                fromWinner);
    }

    /** The read side agrees on both replicas: one binding, one rule, the winner's. */
    private static void assertAdminsSeeOneRule(String key, String winner) {
        for (Sentinel instance : List.of(one, two)) {
            AdminClient admin = sentinel.admin("127.0.0.1", instance).logIn();
            JsonNode lookup = json(admin.post("/admin/api/keys/lookup",
                    "{\"key\":" + quote(key) + "}"));
            assertThat(lookup.get("bound").asBoolean()).isTrue();
            assertThat(lookup.get("binding").get("rules").toString())
                    .isEqualTo("[\"" + winner + "/32\"]");
            JsonNode listed = json(admin.get("/admin/api/bindings?hashPrefix="
                    + lookup.get("tokenHash").asText()));
            assertThat(listed.get("total").asInt()).isEqualTo(1);
        }
    }

    private static int rowsOf(String key) {
        try (Connection connection = TestStores.connect();
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) "
                        + "FROM " + sentinel.schema() + ".binding WHERE token_hash = ?")) {
            statement.setString(1, sentinel.tokenHash(key).hex());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String address(int index) {
        return "127.0.0." + (2 + index);
    }

    private record Shot(String key, String address, Sentinel instance) {
    }

    private record Tally(int rows, String winner, int allowed, int refused, int other,
            int downstreamFromLosers, int downstreamFromWinner) {
    }
}
