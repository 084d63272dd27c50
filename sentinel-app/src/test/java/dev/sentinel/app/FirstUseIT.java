package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
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
 * First use: exactly one network wins a race, a key New API refuses leaves nothing behind,
 * and one network cannot bind keys without limit.
 */
class FirstUseIT {

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("firstuse", Map.of("BIND_RATE_PER_IP", "1000"));
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void concurrentFirstUsesFromTwoAddressesBindExactlyOnce() throws Exception {
        String key = Keys.fresh();
        int requests = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                String source = i % 2 == 0 ? "127.0.0.2" : "127.0.0.3";
                sources.add(source);
                answers.add(pool.submit(() -> {
                    go.await();
                    return sentinel.from(source).get("/v1/models",
                            "Authorization: Bearer " + key);
                }));
            }
            go.countDown();
        }

        List<String> rules = sentinel.rulesByHint(hint(key));
        assertThat(rules).hasSize(1);
        String winner = rules.get(0).replace("/32", "");
        for (int i = 0; i < requests; i++) {
            int expected = sources.get(i).equals(winner) ? 200 : 403;
            assertThat(answers.get(i).get().status()).as("request %d from %s", i,
                    sources.get(i)).isEqualTo(expected);
        }
    }

    @Test
    void aKeyNewApiRefusesIsUnboundAndBindsLaterFromElsewhere() {
        String key = Keys.fresh();
        sentinel.downstream().reject(key);

        Response refused = sentinel.from("127.0.0.2").get("/v1/models",
                "Authorization: Bearer " + key);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("new_api_error");
        assertThat(sentinel.rulesByHint(hint(key))).isEmpty();
    }

    @Test
    void aFirstUseNewApiNeverAnswersLeavesNoBinding() {
        String key = Keys.fresh();
        sentinel.downstream().close();
        try {
            Response unreachable = sentinel.from("127.0.0.2").get("/v1/models",
                    "Authorization: Bearer " + key);

            assertThat(unreachable.status()).isEqualTo(502);
            assertThat(unreachable.body()).contains("\"code\":\"downstream_unreachable\"");
            assertThat(sentinel.rulesByHint(hint(key))).isEmpty();
        } finally {
            sentinel.downstream().restart();
        }
    }

    @Test
    void aRefusedKeyCanBindFromTheNextAddressOnceNewApiAcceptsIt() {
        String key = Keys.fresh();
        sentinel.downstream().reject(key);
        sentinel.from("127.0.0.2").get("/v1/models", "Authorization: Bearer " + key);
        assertThat(sentinel.rulesByHint(hint(key))).isEmpty();

        // Same key, now from 127.0.0.3: with no binding left behind it binds there.
        sentinel.downstream().accept(key);
        Response accepted = sentinel.from("127.0.0.3").get("/v1/models",
                "Authorization: Bearer " + key);

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(sentinel.rulesByHint(hint(key))).containsExactly("127.0.0.3/32");
    }

    static String hint(String key) {
        String body = Keys.body(key);
        return "sk-" + body.substring(0, 2) + "…" + body.substring(body.length() - 4);
    }
}
