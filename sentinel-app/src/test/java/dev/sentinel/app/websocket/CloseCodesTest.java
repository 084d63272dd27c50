package dev.sentinel.app.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Close codes each side can carry, and reasons that fit a close frame. */
class CloseCodesTest {

    @Test
    void theClientGetsNewApisCodeUnlessItCannotAppearOnTheWire() {
        assertThat(CloseCodes.towardsClient(4001, "expired")).isEqualTo(
                new Frame.Close(4001, "expired"));
        assertThat(CloseCodes.towardsClient(1013, "busy")).isEqualTo(
                new Frame.Close(1013, "busy"));
        assertThat(CloseCodes.towardsClient(1005, "")).isEqualTo(new Frame.Close(1000, ""));
        assertThat(CloseCodes.towardsClient(1006, "")).isEqualTo(new Frame.Close(1000, ""));
    }

    @Test
    void newApiGetsTheClientsCodeOrNormalWithTheCodeInTheReason() {
        for (int code : new int[] {1000, 1001, 1008, 1011, 3000, 4999}) {
            assertThat(CloseCodes.towardsDownstream(code, "r")).isEqualTo(
                    new Frame.Close(code, "r"));
        }
        // The JDK's client refuses to send these; the code survives in the reason.
        assertThat(CloseCodes.towardsDownstream(1003, "binary only")).isEqualTo(
                new Frame.Close(1000, "client closed with 1003: binary only"));
        assertThat(CloseCodes.towardsDownstream(1002, "")).isEqualTo(
                new Frame.Close(1000, "client closed with 1002"));
        assertThat(CloseCodes.towardsDownstream(1005, "")).isEqualTo(
                new Frame.Close(1000, ""));
    }

    @Test
    void aLongReasonIsCutToOneHundredTwentyThreeBytesOnACharacterBoundary() {
        String reason = "é".repeat(100);

        String cut = CloseCodes.truncate(reason);

        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
        assertThat(cut).isEqualTo("é".repeat(61));
        assertThat(CloseCodes.truncate("short")).isEqualTo("short");
    }

    @Test
    void textFramesCountTheirUtf8Bytes() {
        assertThat(Frame.Text.of("aé✓🚀", true).size()).isEqualTo(1 + 2 + 3 + 4);
    }
}
