package dev.sentinel.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.domain.alert.Alert;
import dev.sentinel.domain.alert.AlertWindow;
import dev.sentinel.domain.credential.TokenHash;
import dev.sentinel.domain.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Alert ALERT = new Alert(new TokenHash("0123456789ab" + "c".repeat(52)),
            "sk-ab…wxyz", AlertWindow.containing(Instant.parse("2030-01-01T00:07:00Z"),
                    Duration.ofMinutes(5)), 6, 5,
            List.of(IpAddress.of("203.0.113.9"), IpAddress.of("198.51.100.4")),
            Instant.parse("2030-01-01T00:07:00Z"));

    @Test
    void theGenericBodyNamesKeyHintHashPrefixAddressesCountAndWindow() throws Exception {
        JsonNode body = JSON.readTree(WebhookFormat.GENERIC.body(ALERT));

        assertThat(body.get("event").asText()).isEqualTo("sentinel.key_intercepted");
        assertThat(body.get("key_hint").asText()).isEqualTo("sk-ab…wxyz");
        assertThat(body.get("token_hash_prefix").asText()).isEqualTo("0123456789ab");
        assertThat(body.get("intercepts").asLong()).isEqualTo(6);
        assertThat(body.get("threshold").asInt()).isEqualTo(5);
        assertThat(body.get("offending_ips")).extracting(JsonNode::asText)
                .containsExactly("198.51.100.4", "203.0.113.9");
        assertThat(body.get("window").get("start").asText()).isEqualTo("2030-01-01T00:05:00Z");
        assertThat(body.get("window").get("end").asText()).isEqualTo("2030-01-01T00:10:00Z");
        assertThat(body.get("window").get("seconds").asLong()).isEqualTo(300);
    }

    @Test
    void eachChatToolGetsItsOwnMessageShape() throws Exception {
        JsonNode slack = JSON.readTree(WebhookFormat.SLACK.body(ALERT));
        JsonNode dingtalk = JSON.readTree(WebhookFormat.DINGTALK.body(ALERT));
        JsonNode feishu = JSON.readTree(WebhookFormat.FEISHU.body(ALERT));

        assertThat(slack.get("text").asText()).contains("sk-ab…wxyz", "0123456789ab",
                "203.0.113.9", "6 times");
        assertThat(dingtalk.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(dingtalk.get("markdown").get("title").asText()).contains("Sentinel");
        assertThat(dingtalk.get("markdown").get("text").asText()).contains("sk-ab…wxyz");
        assertThat(feishu.get("msg_type").asText()).isEqualTo("text");
        assertThat(feishu.get("content").get("text").asText()).contains("0123456789ab");
    }

    @Test
    void slackTextCannotMentionAnyone() throws Exception {
        Alert sneaky = new Alert(ALERT.tokenHash(), "<!channel>", ALERT.window(), 6, 5,
                List.of(), ALERT.raisedAt());

        String text = JSON.readTree(WebhookFormat.SLACK.body(sneaky)).get("text").asText();

        assertThat(text).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }

    @Test
    void dingTalkAndFeishuRefusalsInA200AreRead() {
        assertThat(WebhookFormat.DINGTALK.accepted("{\"errcode\":0,\"errmsg\":\"ok\"}")).isTrue();
        assertThat(WebhookFormat.DINGTALK.accepted("{\"errcode\":310000}")).isFalse();
        assertThat(WebhookFormat.FEISHU.accepted("{\"code\":0,\"msg\":\"success\"}")).isTrue();
        assertThat(WebhookFormat.FEISHU.accepted("{\"code\":19021,\"msg\":\"sign\"}")).isFalse();
        assertThat(WebhookFormat.FEISHU.accepted("{\"StatusCode\":0}")).isTrue();
        assertThat(WebhookFormat.SLACK.accepted("invalid_payload")).isTrue();
        assertThat(WebhookFormat.GENERIC.accepted("")).isTrue();
    }

    @Test
    void formatsParseInAnyCaseAndAnUnknownOneIsNamed() {
        assertThat(WebhookFormat.parse(" DingTalk ")).isEqualTo(WebhookFormat.DINGTALK);
        assertThatThrownBy(() -> WebhookFormat.parse("teams"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'teams' is not a webhook format: expected generic, slack, "
                        + "dingtalk or feishu");
    }
}
