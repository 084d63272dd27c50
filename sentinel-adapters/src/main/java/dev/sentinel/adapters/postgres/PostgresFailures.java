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
     * time: a pool timeout, a refused or broken connection, a socket or statement timeout,
     * or a server shutting down or starting up.
     */
    static boolean isOutage(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
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
