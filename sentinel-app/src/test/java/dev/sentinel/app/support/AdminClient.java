package dev.sentinel.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.app.support.LoopbackClient.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to the admin API over real HTTP from a chosen loopback address, with the token of
 * its last successful login.
 */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackClient http;
    private final String password;
    private String token;

    AdminClient(LoopbackClient http, String password) {
        this.http = http;
        this.password = password;
    }

    /** Logs in with the right password and keeps the token; fails the test otherwise. */
    public AdminClient logIn() {
        Response response = logIn(password);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        token = json(response).get("token").asText();
        // A session token is a credential like the password: it must not rest anywhere.
        AtRest.secret(token);
        return this;
    }

    /** Sends a login with the given password; keeps nothing. */
    public Response logIn(String guess) {
        return send("POST", "/admin/api/login", "{\"password\":" + quote(guess) + "}");
    }

    /** Returns the token of the last successful login. */
    public String token() {
        return token;
    }

    /** Sends a request with the token. */
    public Response send(String method, String path, String body, String... headers) {
        List<String> lines = new ArrayList<>(List.of(headers));
        if (token != null) {
            lines.add("Authorization: Bearer " + token);
        }
        return raw(method, path, body, lines.toArray(String[]::new));
    }

    /** Sends a request exactly with the given headers (no token added). */
    public Response raw(String method, String path, String body, String... headers) {
        return http.exchange(LoopbackClient.request(method, path, headers, body));
    }

    /** GET with the token. */
    public Response get(String path) {
        return send("GET", path, null);
    }

    /** POST with the token. */
    public Response post(String path, String body) {
        return send("POST", path, body);
    }

    /** PUT with the token. */
    public Response put(String path, String body) {
        return send("PUT", path, body);
    }

    /** PATCH with the token. */
    public Response patch(String path, String body) {
        return send("PATCH", path, body);
    }

    /** DELETE with the token. */
    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** Parses a response body as JSON. */
    public static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON (status " + response.status() + "): "
                    + response.body(), e);
        }
    }

    /** Asserts a JSON error of the given status and code; returns its message. */
    public static String assertError(Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("content-type")).startsWith("application/json");
        JsonNode error = json(response).get("error");
        assertThat(error).as(response.body()).isNotNull();
        assertThat(error.get("type").asText()).isEqualTo("sentinel_error");
        assertThat(error.get("code").asText()).as(response.body()).isEqualTo(code);
        return error.get("message").asText();
    }

    /** Quotes text as a JSON string. */
    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
