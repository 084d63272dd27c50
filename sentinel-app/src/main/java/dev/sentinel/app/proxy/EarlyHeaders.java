package dev.sentinel.app.proxy;

import io.helidon.common.GenericType;
import io.helidon.common.media.type.MediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http.spi.Sink;
import io.helidon.webserver.http.spi.SinkProvider;
import io.helidon.webserver.http.spi.SinkProviderContext;
import java.io.OutputStream;
import java.util.function.BiConsumer;

/**
 * A response body stream whose status line and headers can be sent before the first body
 * byte. Helidon's plain {@code outputStream()} holds them back until the first write, so a
 * streamed answer whose first event takes a minute would look dead for a minute; the sink
 * SPI is the only public hook that can flush headers early.
 *
 * <p>Not thread-safe; one per response.
 */
public final class EarlyHeaders implements Sink<Object> {

    /** The sink type to ask a response for. */
    public static final GenericType<EarlyHeaders> TYPE = GenericType.create(EarlyHeaders.class);

    private final OutputStream body;
    private final Runnable flushHeaders;

    private EarlyHeaders(OutputStream body, Runnable flushHeaders) {
        this.body = body;
        this.flushHeaders = flushHeaders;
    }

    /** Sends the status line and headers now. */
    public void flushHeaders() {
        flushHeaders.run();
    }

    /** Returns the body stream; closing it ends the response. */
    public OutputStream body() {
        return body;
    }

    @Override
    public EarlyHeaders emit(Object event) {
        throw new UnsupportedOperationException("write to body() instead");
    }

    @Override
    public void close() {
        // The body stream ends the response; the proxy closes it.
    }

    /** Registered through {@code META-INF/services}; Helidon looks sinks up by type. */
    public static final class Provider implements SinkProvider<Object> {

        /** Creates the provider; called by the service loader. */
        public Provider() {
        }

        @Override
        public boolean supports(GenericType<? extends Sink<?>> type, ServerRequest request) {
            return TYPE.equals(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <X extends Sink<Object>> X create(SinkProviderContext context) {
            OutputStream body = context.serverResponse().outputStream();
            return (X) new EarlyHeaders(body, context::flushHeaders);
        }

        @Override
        @Deprecated
        @SuppressWarnings("removal")
        public <X extends Sink<Object>> X create(ServerResponse response,
                BiConsumer<Object, MediaType> eventConsumer, Runnable closeRunnable) {
            throw new UnsupportedOperationException("Helidon 4.5 calls create(context)");
        }
    }
}
