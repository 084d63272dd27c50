package dev.sentinel.app.websocket;

import dev.sentinel.app.websocket.BridgeSummary.ClosedBy;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.lang.System.Logger.Level;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection bridged to one New API connection, frame by frame.
 *
 * <p>How frames and closes cross:
 * <ol>
 *   <li>Each direction has a bounded queue ({@link Outbound}) and a writer thread. The
 *       client's frames arrive on Helidon's reader thread; New API's on the JDK client's
 *       threads, one at a time, each asked for ({@code request(1)}) only after the previous
 *       one was queued. A queue that fills up means its reader is too slow: both sides are
 *       closed (1013 to the client, 1008 to New API) and nothing more is buffered.</li>
 *   <li>A close frame from one side is queued behind the data that side sent before it,
 *       so nothing sent before a close is lost. Once the other side answered (or the grace
 *       period passed), the closing side gets its own code back.</li>
 *   <li>A connection that ends without a close frame ends the other one: the client's
 *       socket closing sends New API 1001 at once; New API's connection breaking sends the
 *       client 1014 after the data already received.</li>
 *   <li>Anything that does not answer within the grace period is dropped.</li>
 * </ol>
 *
 * <p>Thread-safe: the state is atomic and each side's writes are serialised.
 */
final class Bridge {

    private static final System.Logger LOG = System.getLogger(Bridge.class.getName());
    private static final Frame.Close NONE = new Frame.Close(CloseCodes.ABNORMAL, "");

    private final String requestId;
    private final BridgeLimits limits;
    private final BridgeListener listener;
    private final Outbound toDownstream;
    private final Outbound toClient;

    private final ReentrantLock clientWrites = new ReentrantLock();
    private final AtomicBoolean closeSentToClient = new AtomicBoolean();
    private final AtomicBoolean closeSentToDownstream = new AtomicBoolean();
    /** The client's close frame; {@link #NONE} when its connection ended without one. */
    private final CompletableFuture<Frame.Close> clientClose = new CompletableFuture<>();
    /** New API's close frame; {@link #NONE} when its connection broke. */
    private final CompletableFuture<Frame.Close> downstreamClose = new CompletableFuture<>();
    private final AtomicReference<Frame.Close> closeForDownstream = new AtomicReference<>();
    private final AtomicReference<ClosedBy> closedBy = new AtomicReference<>();
    private final AtomicInteger clientCode = new AtomicInteger(CloseCodes.ABNORMAL);
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicLong bytesFromClient = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private volatile long lastActivity = System.nanoTime();
    private volatile long openedAt = System.nanoTime();

    private volatile WebSocket downstream;
    private volatile WsSession session;
    private volatile ServerConnection clientConnection;

    Bridge(String requestId, BridgeLimits limits, BridgeListener listener) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.toDownstream = new Outbound("ws-to-downstream-" + requestId,
                limits.maxQueuedFrames(), limits.maxQueuedBytes(), this::writeDownstream,
                this::downstreamWriteFailed);
        this.toClient = new Outbound("ws-to-client-" + requestId, limits.maxQueuedFrames(),
                limits.maxQueuedBytes(), this::writeClient, this::clientWriteFailed);
    }

    /** Returns the listener for New API's side, given to the JDK client when dialling. */
    WebSocket.Listener downstreamListener() {
        return new DownstreamSide();
    }

    /** Returns the listener for the client's side, given to Helidon's connection. */
    WsListener clientListener() {
        return new ClientSide();
    }

    /** Records the client connection, so that a stuck client can be dropped. */
    void attach(ServerConnection connection) {
        this.clientConnection = connection;
    }

    /** Returns how long neither side has sent a frame, given the client side's own count. */
    Duration idleTime(Duration clientIdle) {
        Duration bridged = Duration.ofNanos(System.nanoTime() - lastActivity);
        return bridged.compareTo(clientIdle) < 0 ? bridged : clientIdle;
    }

    /**
     * The client's connection ended, for whatever reason (close handshake done, socket
     * closed, idle timeout, shutdown): New API's connection ends too.
     */
    void clientGone() {
        clientClose.complete(NONE);
        finish();
    }

    /**
     * The client's handshake was not completed after New API's was: New API's connection is
     * closed and nothing is reported as opened.
     *
     * @param why what happened, for the log
     */
    void abandon(String why) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        LOG.log(Level.INFO, "websocket abandoned requestId={0} why={1}", requestId, why);
        closeDownstream(new Frame.Close(CloseCodes.GOING_AWAY, "client handshake failed"));
    }

    private void opened() {
        if (!opened.compareAndSet(false, true)) {
            return;
        }
        openedAt = System.nanoTime();
        touch();
        toDownstream.start();
        toClient.start();
        listener.opened(requestId);
        downstream.request(1);
    }

    private void fromClient(Frame frame) {
        touch();
        if (!toDownstream.offer(frame)) {
            overflow(Direction.CLIENT_TO_DOWNSTREAM);
        }
    }

    private void fromDownstream(WebSocket socket, Frame frame) {
        touch();
        if (!toClient.offer(frame)) {
            overflow(Direction.DOWNSTREAM_TO_CLIENT);
            return;
        }
        socket.request(1);
    }

    /** Runs on Helidon's reader thread; Helidon answers the client once this returns. */
    private void clientClosed(int code, String reason) {
        Frame.Close received = new Frame.Close(code, reason);
        clientClose.complete(received);
        if (closeSentToClient.get()) {
            // The client's answer to a close we sent.
            return;
        }
        closedBy.compareAndSet(null, ClosedBy.CLIENT);
        clientCode.compareAndSet(CloseCodes.ABNORMAL, code);
        Frame.Close onward = CloseCodes.towardsDownstream(code, reason);
        closeForDownstream.compareAndSet(null, onward);
        toDownstream.offerClose(onward);

        // New API's data sent before its answer still reaches the client; then the client
        // gets its own code back, as an endpoint answers (RFC 6455 section 5.5.1).
        await(downstreamClose, limits.closeGrace());
        sendCloseToClient(CloseCodes.towardsClient(code, reason));
    }

    /** Runs on the JDK client's thread; the JDK answers New API once the stage completes. */
    private CompletionStage<?> downstreamClosed(int code, String reason) {
        downstreamClose.complete(new Frame.Close(code, reason));
        if (closeSentToDownstream.get() || finished.get()) {
            // New API's answer to a close we sent.
            return null;
        }
        closedBy.compareAndSet(null, ClosedBy.DOWNSTREAM);
        toClient.offerClose(CloseCodes.towardsClient(code, reason));
        return clientClose.copy().completeOnTimeout(NONE,
                limits.closeGrace().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void downstreamFailed(Throwable error) {
        downstreamClose.complete(NONE);
        if (finished.get() || closeSentToDownstream.get()) {
            return;
        }
        closedBy.compareAndSet(null, ClosedBy.SENTINEL);
        LOG.log(Level.WARNING, "websocket downstream connection lost requestId={0} cause={1}",
                requestId, describe(error));
        // What New API sent before it broke still reaches the client.
        toClient.offerClose(new Frame.Close(CloseCodes.BAD_GATEWAY,
                "downstream connection lost"));
    }

    private void overflow(Direction direction) {
        if (!overflowed.compareAndSet(false, true)) {
            return;
        }
        closedBy.compareAndSet(null, ClosedBy.SENTINEL);
        String slow = direction == Direction.DOWNSTREAM_TO_CLIENT ? "the client" : "New API";
        LOG.log(Level.DEBUG, "websocket queue full, closing requestId={0} direction={1} "
                + "queuedBytes={2}", requestId, direction.name(), String.valueOf(
                (direction == Direction.DOWNSTREAM_TO_CLIENT ? toClient : toDownstream)
                        .queuedBytes()));
        listener.overflowed(requestId, direction);
        String reason = "Sentinel: " + slow + " is not reading fast enough";
        toClient.stop();
        toDownstream.stop();
        closeDownstream(new Frame.Close(CloseCodes.POLICY, reason));
        // A client that does not read blocks writes: close it from a thread of its own.
        Thread.ofVirtual().name("ws-close-" + requestId).start(() -> sendCloseToClient(
                new Frame.Close(CloseCodes.TRY_AGAIN_LATER, reason)));
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        closedBy.compareAndSet(null, ClosedBy.SENTINEL);
        toClient.stop();
        toDownstream.stop();
        Frame.Close onward = closeForDownstream.get();
        closeDownstream(onward != null ? onward
                : new Frame.Close(CloseCodes.GOING_AWAY, "client went away"));
        if (opened.get()) {
            listener.closed(requestId, new BridgeSummary(closedBy.get(), clientCode.get(),
                    bytesFromClient.get(), bytesToClient.get(),
                    Duration.ofNanos(System.nanoTime() - openedAt)));
        }
    }

    /** Sends New API a close unless one crossed already, and drops it if it stays open. */
    private void closeDownstream(Frame.Close close) {
        WebSocket socket = downstream;
        if (socket == null) {
            return;
        }
        if (!downstreamClose.isDone() && closeSentToDownstream.compareAndSet(false, true)) {
            try {
                socket.sendClose(close.code(), close.reason());
            } catch (RuntimeException e) {
                socket.abort();
                return;
            }
        }
        CompletableFuture.delayedExecutor(limits.closeGrace().toMillis(),
                TimeUnit.MILLISECONDS).execute(() -> {
                    if (!socket.isInputClosed() || !socket.isOutputClosed()) {
                        socket.abort();
                    }
                });
    }

    /**
     * Sends the client a close frame unless one was sent, then waits for its answer; a
     * client that cannot take the frame or does not answer in time is dropped.
     */
    private void sendCloseToClient(Frame.Close close) {
        boolean sent = false;
        try {
            if (!clientWrites.tryLock(limits.closeGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                dropClient();
                return;
            }
            try {
                if (closeSentToClient.compareAndSet(false, true)) {
                    clientCode.compareAndSet(CloseCodes.ABNORMAL, close.code());
                    session.close(close.code(), close.reason());
                    sent = true;
                }
            } finally {
                clientWrites.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropClient();
            return;
        } catch (RuntimeException e) {
            dropClient();
            return;
        }
        if (sent && await(clientClose, limits.closeGrace()) == null) {
            dropClient();
        }
    }

    /**
     * Drops the client's connection: its writer may be stuck in a write to a client that
     * reads nothing, and Helidon's reader may wait for that write's lock.
     */
    private void dropClient() {
        toClient.abort();
        ServerConnection connection = clientConnection;
        if (connection != null) {
            connection.close(true);
        }
    }

    private void writeDownstream(Frame frame) throws Exception {
        WebSocket socket = downstream;
        switch (frame) {
            case Frame.Text text -> socket.sendText(text.text(), text.last()).get();
            case Frame.Binary binary -> socket.sendBinary(ByteBuffer.wrap(binary.data()),
                    binary.last()).get();
            case Frame.Ping ping -> socket.sendPing(ByteBuffer.wrap(ping.data())).get();
            case Frame.Pong pong -> socket.sendPong(ByteBuffer.wrap(pong.data())).get();
            case Frame.Close close -> {
                if (closeSentToDownstream.compareAndSet(false, true)) {
                    socket.sendClose(close.code(), close.reason()).get();
                }
            }
        }
        if (frame.isData()) {
            bytesFromClient.addAndGet(frame.size());
            listener.relayed(Direction.CLIENT_TO_DOWNSTREAM, frame.size());
        }
    }

    private void writeClient(Frame frame) {
        boolean closing = false;
        clientWrites.lock();
        try {
            if (closeSentToClient.get()) {
                return;
            }
            switch (frame) {
                case Frame.Text text -> session.send(text.text(), text.last());
                case Frame.Binary binary -> session.send(BufferData.create(binary.data()),
                        binary.last());
                case Frame.Ping ping -> session.ping(BufferData.create(ping.data()));
                case Frame.Pong pong -> session.pong(BufferData.create(pong.data()));
                case Frame.Close close -> {
                    closing = true;
                    closeSentToClient.set(true);
                    clientCode.compareAndSet(CloseCodes.ABNORMAL, close.code());
                    session.close(close.code(), close.reason());
                }
            }
        } finally {
            clientWrites.unlock();
        }
        if (frame.isData()) {
            bytesToClient.addAndGet(frame.size());
            listener.relayed(Direction.DOWNSTREAM_TO_CLIENT, frame.size());
        }
        if (closing && await(clientClose, limits.closeGrace()) == null) {
            dropClient();
        }
    }

    private void downstreamWriteFailed(Exception e) {
        if (finished.get() || closeSentToDownstream.get()) {
            return;
        }
        downstreamFailed(e);
    }

    private void clientWriteFailed(Exception e) {
        LOG.log(Level.DEBUG, "websocket client write failed requestId={0} cause={1}",
                requestId, describe(e));
        dropClient();
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    private static Frame.Close await(CompletableFuture<Frame.Close> close, Duration grace) {
        try {
            return close.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The client's side: Helidon calls it on the connection's reader thread. */
    private final class ClientSide implements WsListener {

        @Override
        public void onOpen(WsSession wsSession) {
            session = wsSession;
            opened();
        }

        @Override
        public void onMessage(WsSession wsSession, String text, boolean last) {
            fromClient(Frame.Text.of(text, last));
        }

        @Override
        public void onMessage(WsSession wsSession, BufferData buffer, boolean last) {
            fromClient(new Frame.Binary(buffer.readBytes(), last));
        }

        @Override
        public void onPing(WsSession wsSession, BufferData buffer) {
            fromClient(new Frame.Ping(buffer.readBytes()));
        }

        @Override
        public void onPong(WsSession wsSession, BufferData buffer) {
            fromClient(new Frame.Pong(buffer.readBytes()));
        }

        @Override
        public void onClose(WsSession wsSession, int status, String reason) {
            clientClosed(status, reason);
        }

        @Override
        public void onError(WsSession wsSession, Throwable t) {
            LOG.log(Level.WARNING, "websocket client side failed requestId={0} cause={1}",
                    requestId, describe(t));
        }
    }

    /** New API's side: the JDK client calls it on its threads, one call at a time. */
    private final class DownstreamSide implements WebSocket.Listener {

        @Override
        public void onOpen(WebSocket webSocket) {
            // Frames are asked for once the client's side is open too.
            downstream = webSocket;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data,
                boolean last) {
            fromDownstream(webSocket, Frame.Text.of(data.toString(), last));
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data,
                boolean last) {
            fromDownstream(webSocket, new Frame.Binary(bytes(data), last));
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            fromDownstream(webSocket, new Frame.Ping(bytes(message)));
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            fromDownstream(webSocket, new Frame.Pong(bytes(message)));
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode,
                String reason) {
            return downstreamClosed(statusCode, reason);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            downstreamFailed(error);
        }

        private static byte[] bytes(ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            return copy;
        }
    }
}
