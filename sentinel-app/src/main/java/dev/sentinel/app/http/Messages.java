package dev.sentinel.app.http;

import dev.sentinel.domain.RefusalCode;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Refusal messages in English and Chinese: New API's operators and many of their users read
 * Chinese first. The language follows {@code Accept-Language}; English is the default.
 *
 * <p>Thread-safe: immutable tables.
 */
final class Messages {

    private static final Map<RefusalCode, String> ENGLISH = new EnumMap<>(Map.of(
            RefusalCode.INVALID_CLIENT_IP, "The client address could not be determined",
            RefusalCode.INVALID_API_KEY, "The API key is malformed",
            RefusalCode.AMBIGUOUS_CREDENTIALS, "The request carries more than one API key",
            RefusalCode.FORBIDDEN_CONNECTION_HEADER,
                    "The Connection header names a header this gateway relies on",
            RefusalCode.INVALID_REQUEST, "The request is malformed",
            RefusalCode.ACCESS_DENIED,
                    "This API key is bound to another network and cannot be used from here",
            RefusalCode.BIND_RATE_LIMITED,
                    "Too many new API keys from this network; try again later",
            RefusalCode.DOWNSTREAM_UNREACHABLE, "The upstream service cannot be reached",
            RefusalCode.FAILSAFE_CLOSED,
                    "The gateway cannot check API keys right now; try again later",
            RefusalCode.DOWNSTREAM_TIMEOUT, "The upstream service did not answer in time"));

    private static final Map<RefusalCode, String> CHINESE = new EnumMap<>(Map.of(
            RefusalCode.INVALID_CLIENT_IP, "无法确定客户端 IP 地址",
            RefusalCode.INVALID_API_KEY, "API 密钥格式无效",
            RefusalCode.AMBIGUOUS_CREDENTIALS, "请求中携带了多个不同的 API 密钥",
            RefusalCode.FORBIDDEN_CONNECTION_HEADER, "Connection 头中包含了网关依赖的请求头",
            RefusalCode.INVALID_REQUEST, "请求格式无效",
            RefusalCode.ACCESS_DENIED, "此 API 密钥已绑定到其他网络，无法在当前 IP 使用",
            RefusalCode.BIND_RATE_LIMITED, "该网络新绑定的 API 密钥过多，请稍后再试",
            RefusalCode.DOWNSTREAM_UNREACHABLE, "无法连接上游服务",
            RefusalCode.FAILSAFE_CLOSED, "网关暂时无法校验 API 密钥，请稍后再试",
            RefusalCode.DOWNSTREAM_TIMEOUT, "上游服务响应超时"));

    private Messages() {
    }

    /** Returns the message for a banned key, which keeps the code access_denied. */
    static String banned(boolean chinese) {
        return chinese
                ? "此 API 密钥已被管理员封禁，无法使用"
                : "This API key has been banned by an administrator and cannot be used";
    }

    /** Returns the message for a refusal in the language the client prefers. */
    static String of(RefusalCode code, boolean chinese) {
        return (chinese ? CHINESE : ENGLISH).get(code);
    }

    /**
     * Returns whether {@code Accept-Language} prefers Chinese over English: the Chinese
     * entry with the highest quality must outrank every English one.
     */
    static boolean prefersChinese(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return false;
        }
        double chinese = -1;
        double english = -1;
        for (String range : acceptLanguage.split(",")) {
            String[] parts = range.strip().split(";");
            String tag = parts[0].strip().toLowerCase(Locale.ROOT);
            double quality = quality(parts);
            if (tag.equals("zh") || tag.startsWith("zh-")) {
                chinese = Math.max(chinese, quality);
            } else if (tag.equals("en") || tag.startsWith("en-") || tag.equals("*")) {
                english = Math.max(english, quality);
            }
        }
        return chinese > 0 && chinese > english;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
