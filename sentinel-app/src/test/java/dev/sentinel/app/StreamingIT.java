package dev.sentinel.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.sentinel.app.support.Keys;
import dev.sentinel.app.support.LoopbackClient;
import dev.sentinel.app.support.LoopbackClient.Response;
import dev.sentinel.app.support.SentinelUnderTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers pass event by event: each server-sent event reaches the client when New
 * API flushes it, and the response headers do not wait for the first event.
 */
class StreamingIT {

    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static SentinelUnderTest sentinel;

    @BeforeAll
    static void start() {
        sentinel = SentinelUnderTest.start("streaming", Map.of());
    }

    @AfterAll
    static void stop() {
        sentinel.close();
    }

    @Test
    void eventsFlushedEvery100MillisecondsArriveOneByOne() {
        sentinel.downstream().streamShape(5, Duration.ofMillis(100));
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        byte[] request = LoopbackClient.request("POST", "/v1/chat/completions",
                new String[] {"Authorization: Bearer " + Keys.fresh()}, CHAT);

        long sent = System.nanoTime();
        Response response = sentinel.from("127.0.0.2").stream(request, chunk -> {
            String text = new String(chunk.data());
            for (int i = 0; i < count(text, "data: "); i++) {
                arrivals.add(chunk.nanoTime());
            }
        });

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).startsWith("text/event-stream");
        assertThat(arrivals).hasSize(6);
        for (int i = 1; i < 5; i++) {
            long gapMillis = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
            assertThat(gapMillis).as("gap before event %d", i).isGreaterThanOrEqualTo(50);
        }
        assertThat((arrivals.get(0) - sent) / 1_000_000).as("first event")
                .isBetween(80L, 1000L);
    }

    @Test
    void responseHeadersArriveBeforeTheFirstEvent() {
        sentinel.downstream().streamShape(1, Duration.ofMillis(1500));
        List<Long> arrivals = new ArrayList<>();
        byte[] request = LoopbackClient.request("POST", "/v1/chat/completions",
                new String[] {"Authorization: Bearer " + Keys.fresh()}, CHAT);

        long sent = System.nanoTime();
        Response response = sentinel.from("127.0.0.2").stream(request,
                chunk -> arrivals.add(chunk.nanoTime()));

        assertThat(response.status()).isEqualTo(200);
        assertThat((response.headersAt() - sent) / 1_000_000).as("headers").isLessThan(1000);
        assertThat((arrivals.get(0) - sent) / 1_000_000).as("first event")
                .isGreaterThanOrEqualTo(1400);
    }

    @Test
    void theOpenAiSdkStreamsThroughSentinelAndIsStoppedFromAnotherAddress() {
        sentinel.downstream().streamShape(5, Duration.ofMillis(20));
        String key = Keys.fresh();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(ChatModel.GPT_4O_MINI)
                .addUserMessage("Say hello")
                .build();

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = sdk("127.0.0.2", key).chat()
                .completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice ->
                    choice.delta().content().ifPresent(text::append)));
        }

        assertThat(text.toString()).isEqualTo("part0 part1 part2 part3 part4 ");
        assertThatThrownBy(() -> sdk("127.0.0.3", key).models().list())
                .isInstanceOfSatisfying(PermissionDeniedException.class, denied ->
                        assertThat(denied.statusCode()).isEqualTo(403))
                .hasMessageContaining("bound to another network");
    }

    private static OpenAIClient sdk(String sourceIp, String key) {
        OkHttpClient http = new OkHttpClient.Builder()
                .socketFactory(new BoundSocketFactory(sourceIp))
                .build();
        return OpenAIOkHttpClient.builder()
                .okHttpClient(http)
                .apiKey(key)
                .baseUrl("http://127.0.0.1:" + sentinel.sentinel().port() + "/v1")
                .maxRetries(0)
                .build();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    /** Sockets bound to one loopback address, so the SDK is a distinct client. */
    private static final class BoundSocketFactory extends SocketFactory {

        private final String source;

        BoundSocketFactory(String source) {
            this.source = source;
        }

        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort)
                throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local,
                int localPort) throws IOException {
            return createSocket(host, port);
        }
    }
}
