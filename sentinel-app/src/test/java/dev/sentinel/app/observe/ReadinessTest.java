package dev.sentinel.app.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sentinel.adapters.StoreState;
import dev.sentinel.domain.guard.FailsafeMode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void onlyAClosedFailsafeWithNoStoreToDecideIsNotReady() {
        assertThat(new Readiness(StoreState.UP, Optional.empty(), FailsafeMode.CLOSED)
                .httpStatus()).isEqualTo(200);
        assertThat(new Readiness(StoreState.UP, Optional.of(StoreState.DOWN),
                FailsafeMode.CLOSED).httpStatus()).isEqualTo(200);
        assertThat(new Readiness(StoreState.DOWN, Optional.of(StoreState.UP),
                FailsafeMode.OPEN).httpStatus()).isEqualTo(200);
        assertThat(new Readiness(StoreState.DOWN, Optional.of(StoreState.DOWN),
                FailsafeMode.CLOSED).httpStatus()).isEqualTo(503);
        assertThat(new Readiness(StoreState.DOWN, Optional.empty(),
                FailsafeMode.CLOSED).httpStatus()).isEqualTo(503);
    }

    @Test
    void aClosedFailsafeWhileRedisStillDecidesCachedKeysStaysReady() {
        Readiness postgresDown = new Readiness(StoreState.DOWN, Optional.of(StoreState.UP),
                FailsafeMode.CLOSED);

        assertThat(postgresDown.httpStatus()).isEqualTo(200);
        assertThat(postgresDown.report())
                .hasToString("{status=degraded, stores={postgresql=down, redis=up}, "
                        + "failsafe={mode=closed, state=refusing}}");
    }

    @Test
    void theReportNamesEachStoreAndTheFailsafeState() {
        assertThat(new Readiness(StoreState.UP, Optional.empty(), FailsafeMode.CLOSED).report())
                .hasToString("{status=ready, stores={postgresql=up, redis=absent}, "
                        + "failsafe={mode=closed, state=standby}}");
        assertThat(new Readiness(StoreState.UP, Optional.of(StoreState.DOWN),
                FailsafeMode.OPEN).report())
                .hasToString("{status=degraded, stores={postgresql=up, redis=down}, "
                        + "failsafe={mode=open, state=standby}}");
        assertThat(new Readiness(StoreState.DOWN, Optional.of(StoreState.DOWN),
                FailsafeMode.OPEN).report())
                .hasToString("{status=degraded, stores={postgresql=down, redis=down}, "
                        + "failsafe={mode=open, state=passing}}");
        assertThat(new Readiness(StoreState.DOWN, Optional.empty(), FailsafeMode.CLOSED)
                .report()).hasToString("{status=refusing, stores={postgresql=down, "
                        + "redis=absent}, failsafe={mode=closed, state=refusing}}");
    }
}
