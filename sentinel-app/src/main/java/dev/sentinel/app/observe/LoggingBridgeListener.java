package dev.sentinel.app.observe;

import dev.sentinel.app.websocket.BridgeListener;
import dev.sentinel.app.websocket.BridgeSummary;
import dev.sentinel.app.websocket.Direction;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * One log line per WebSocket connection opened, refused by New API, or closed, with the
 * bytes that crossed; a queue overflow is a warning. Frames are not logged, and neither are paths,
 * queries or sub-protocols: keys travel in them.
 *
 * <p>Thread-safe: stateless.
 */
public final class LoggingBridgeListener implements BridgeListener {

    private static final System.Logger LOG = System.getLogger("dev.sentinel.websocket");

    /** Sentinel's own refusals are logged where they are decided; New API's are not. */
    @Override
    public void refused(String requestId, int status, String code) {
        LOG.log(code.equals("downstream") ? Level.INFO : Level.DEBUG,
                "websocket refused requestId={0} status={1} code={2}", requestId,
                String.valueOf(status), code);
    }

    @Override
    public void opened(String requestId) {
        LOG.log(Level.INFO, "websocket opened requestId={0}", requestId);
    }

    @Override
    public void overflowed(String requestId, Direction direction) {
        LOG.log(Level.WARNING, "websocket queue full requestId={0} direction={1}", requestId,
                direction.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void closed(String requestId, BridgeSummary summary) {
        LOG.log(Level.INFO, "websocket closed requestId={0} closedBy={1} code={2} "
                        + "bytesFromClient={3} bytesToClient={4} millis={5}", requestId,
                summary.closedBy().name().toLowerCase(Locale.ROOT),
                String.valueOf(summary.code()), String.valueOf(summary.bytesFromClient()),
                String.valueOf(summary.bytesToClient()),
                String.valueOf(summary.duration().toMillis()));
    }
}
