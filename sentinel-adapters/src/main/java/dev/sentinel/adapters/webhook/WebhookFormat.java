package dev.sentinel.adapters.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.domain.alert.Alert;
import dev.sentinel.domain.net.IpAddress;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body an alert webhook carries, for the receiver it goes to.
 *
 * <ul>
 *   <li>{@code generic}: Sentinel's own JSON, with key hint, hash prefix, offending
 *       addresses, count and window.</li>
 *   <li>{@code slack}: an incoming-webhook message, {@code {"text": ...}} in mrkdwn.</li>
 *   <li>{@code dingtalk}: a custom robot markdown message,
 *       {@code {"msgtype":"markdown","markdown":{"title","text"}}}. A robot guarded by a
 *       keyword needs the keyword {@code Sentinel}.</li>
 *   <li>{@code feishu}: a custom bot text message,
 *       {@code {"msg_type":"text","content":{"text": ...}}}.</li>
 * </ul>
 *
 * <p>DingTalk and Feishu answer 200 even when they refuse a message, with a non-zero
 * {@code errcode} or {@code code} in the body; {@link #accepted} reads it.
 *
 * <p>Immutable and thread-safe.
 */
public enum WebhookFormat {
    /** Sentinel's own JSON. */
    GENERIC,
    /** Slack incoming webhooks. */
    SLACK,
    /** DingTalk custom robots. */
    DINGTALK,
    /** Feishu (Lark) custom bots. */
    FEISHU;

    /** Hex digits of the key hash shown to admins. */
    static final int HASH_PREFIX_LENGTH = 12;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses {@code generic}, {@code slack}, {@code dingtalk} or {@code feishu}, ignoring
     * case.
     *
     * @param text the configured value
     * @return the format
     * @throws IllegalArgumentException naming the value when it is none of them
     */
    public static WebhookFormat parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (WebhookFormat format : values()) {
            if (format.value().equals(value)) {
                return format;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a webhook format: expected "
                + "generic, slack, dingtalk or feishu");
    }

    /** Returns the configuration spelling, such as {@code dingtalk}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Renders an alert as this format's JSON body.
     *
     * @param alert the alert
     * @return UTF-8 JSON
     */
    public byte[] body(Alert alert) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (this) {
            case GENERIC -> body = generic(alert);
            case SLACK -> body.put("text", slackEscape(text(alert)));
            case DINGTALK -> {
                Map<String, Object> markdown = new LinkedHashMap<>();
                markdown.put("title", "Sentinel alert " + alert.hint());
                markdown.put("text", "#### Sentinel alert\n\n" + text(alert));
                body.put("msgtype", "markdown");
                body.put("markdown", markdown);
            }
            case FEISHU -> {
                body.put("msg_type", "text");
                body.put("content", Map.of("text", text(alert)));
            }
            default -> throw new IllegalStateException("unknown format " + this);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }

    /**
     * Tells whether a 2xx answer really accepted the message: DingTalk and Feishu report a
     * refusal (bad keyword, bad signature, rate limit) in the body.
     *
     * @param responseBody the receiver's answer, possibly empty or not JSON
     * @return whether the receiver accepted the message
     */
    public boolean accepted(String responseBody) {
        if (this != DINGTALK && this != FEISHU) {
            return true;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(responseBody == null ? "" : responseBody);
        } catch (JsonProcessingException e) {
            return true;
        }
        if (answer == null || !answer.isObject()) {
            return true;
        }
        String field = this == DINGTALK ? "errcode" : "code";
        JsonNode code = answer.get(field);
        if (code == null && this == FEISHU) {
            code = answer.get("StatusCode");
        }
        return code == null || code.asLong(0) == 0;
    }

    private static Map<String, Object> generic(Alert alert) {
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("start", DateTimeFormatter.ISO_INSTANT.format(alert.window().start()));
        window.put("end", DateTimeFormatter.ISO_INSTANT.format(alert.window().end()));
        window.put("seconds", alert.window().length().toSeconds());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "sentinel.key_intercepted");
        body.put("key_hint", alert.hint());
        body.put("token_hash_prefix", alert.tokenHash().prefix(HASH_PREFIX_LENGTH));
        body.put("intercepts", alert.intercepts());
        body.put("threshold", alert.threshold());
        body.put("window", window);
        body.put("offending_ips", addresses(alert.addresses()));
        body.put("raised_at", DateTimeFormatter.ISO_INSTANT.format(alert.raisedAt()));
        return body;
    }

    /** One human-readable paragraph for the chat tools. */
    static String text(Alert alert) {
        List<String> addresses = addresses(alert.addresses());
        return "Sentinel: key " + alert.hint() + " (hash "
                + alert.tokenHash().prefix(HASH_PREFIX_LENGTH) + ") was intercepted "
                + alert.intercepts() + " times in " + alert.window().length().toSeconds()
                + " s (threshold " + alert.threshold() + "), from "
                + (addresses.isEmpty() ? "unknown addresses" : String.join(", ", addresses))
                + ". Window " + DateTimeFormatter.ISO_INSTANT.format(alert.window().start())
                + " to " + DateTimeFormatter.ISO_INSTANT.format(alert.window().end()) + ".";
    }

    private static List<String> addresses(List<IpAddress> addresses) {
        return addresses.stream().map(IpAddress::toString).sorted().toList();
    }

    /** Slack reads {@code <...>} as links and mentions; the text must not ping anyone. */
    private static String slackEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
