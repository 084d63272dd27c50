package dev.sentinel.adapters.postgres;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a PostgreSQL outage (nobody answers in time) from a failed statement (the database
 * answered "no"). Only an outage opens the circuit.
 *
 * <p>Thread-safe: stateless.
 */
final class PostgresFailures {

    private static final int MAX_CAUSES = 16;

    private PostgresFailures() {
    }

    /**
     * Returns whether a failure means the database could not be reached or did not answer in
     * time: a pool timeout caused by failing connection attempts, a refused or broken
     * connection, a socket or statement timeout, or a server shutting down or starting up.
     *
     * <p>A pool timeout without a cause is no outage: every connection was busy and the
     * database answers them, it is only slow right now. Opening the circuit then would turn
     * a burst of traffic into a failsafe decision for every uncached key.
     */
    static boolean isOutage(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (current instanceof SQLTransientConnectionException saturated
                    && isPoolSaturation(saturated)) {
                return false;
            }
            if (current instanceof SQLTransientConnectionException
                    || current instanceof SQLNonTransientConnectionException
                    || current instanceof SQLTimeoutException
                    || current instanceof SocketException
                    || current instanceof SocketTimeoutException
                    || current instanceof EOFException) {
                return true;
            }
            if (current instanceof SQLException sql && isOutageState(sql.getSQLState())) {
                return true;
            }
            current = current.getCause();
        }
        return false;
    }

    /**
     * HikariCP times a borrower out with the last failed connection attempt as the cause
     * (and its SQLSTATE); with neither, no attempt failed: the pool was merely exhausted.
     */
    static boolean isPoolSaturation(SQLTransientConnectionException timeout) {
        return timeout.getCause() == null && timeout.getSQLState() == null
                && timeout.getNextException() == null;
    }

    /**
     * SQLSTATE class 08 is a connection exception; 57P01-57P05 a server that shuts down,
     * crashed, is starting or dropped the database; 57014 a statement cancelled by
     * {@code statement_timeout}; 53300 a server out of connection slots.
     */
    static boolean isOutageState(String state) {
        return state != null
                && (state.startsWith("08") || state.startsWith("57P0")
                        || state.equals("57014") || state.equals("53300"));
    }
}
