package dev.sentinel.app.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * JSON in and out of the admin API. Bodies are read as trees and each field is checked by
 * hand, so an error names the field and what was expected, and never quotes the body back
 * (a pasted key must not be echoed).
 *
 * <p>Thread-safe: the mapper is configured once and only used afterwards.
 */
final class AdminJson {

    /** The largest request body the admin API reads. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private AdminJson() {
    }

    /**
     * Parses a body that must be one JSON object.
     *
     * @throws AdminProblem {@code invalid_json} with the position of the error only
     */
    static ObjectNode object(byte[] body) {
        if (body.length == 0) {
            throw AdminProblem.badRequest("invalid_json", "the request body is empty: "
                    + "expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw AdminProblem.badRequest("invalid_json", "the request body is not valid JSON"
                    + where + ": expected a JSON object");
        } catch (IOException e) {
            throw AdminProblem.badRequest("invalid_json", "the request body cannot be read: "
                    + "expected a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw AdminProblem.badRequest("invalid_json", "the request body is JSON but not "
                    + "an object: expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Returns a required string field. */
    static String requiredText(ObjectNode body, String field) {
        return optionalText(body, field).orElseThrow(() -> AdminProblem.badRequest(
                "invalid_request", "field '" + field + "' is missing: expected a string"));
    }

    /** Returns an optional string field; null counts as absent. */
    static Optional<String> optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw AdminProblem.badRequest("invalid_request", "field '" + field + "' is "
                    + typeOf(value) + ": expected a string");
        }
        return Optional.of(value.asText());
    }

    /** Returns a required array of strings. */
    static List<String> textArray(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw AdminProblem.badRequest("invalid_request", "field '" + field
                    + "' is missing: expected an array of strings");
        }
        if (!value.isArray()) {
            throw AdminProblem.badRequest("invalid_request", "field '" + field + "' is "
                    + typeOf(value) + ": expected an array of strings");
        }
        List<String> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual()) {
                throw AdminProblem.badRequest("invalid_request", field + "[" + i + "] is "
                        + typeOf(item) + ": expected a string");
            }
            items.add(item.asText());
        }
        return items;
    }

    /** Refuses fields the endpoint does not know, so a typo is not silently ignored. */
    static void onlyFields(ObjectNode body, List<String> known) {
        body.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw AdminProblem.badRequest("invalid_request", "field '"
                        + shorten(name) + "' is unknown: expected only " + known);
            }
        });
    }

    static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> "not a plain value";
        };
    }

    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
