package io.miaosha.common.outage;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Tells an outage (a store that cannot be reached or is failing over) from a failure of the work
 * itself. For the worker an outage is back-pressure: the message waits and is tried again for as
 * long as it lasts, and only a failure of the message counts towards parking it. For the API it is a
 * 503 the client may retry, not a 500.
 */
public final class Outages {

    /**
     * MariaDB/MySQL error codes that mean "the server, not your statement": too many connections,
     * shutdown in progress, connection killed, read-only (a primary being demoted or a replica being
     * promoted), and the client-side codes for a lost or refused connection.
     */
    private static final Set<Integer> SERVER_UNAVAILABLE = Set.of(1040, 1053, 1290, 1836, 1927, 2002, 2003, 2006, 2013);

    private static final Pattern BATCH_PREFIX = Pattern.compile("^ERR \\[\\d+\\] ");

    private Outages() {
    }

    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SocketException || cause instanceof ClosedChannelException
                    || cause instanceof ClosedConnectionException || cause instanceof TimeoutException) {
                return true;
            }
            if (cause instanceof DatabaseException database && SERVER_UNAVAILABLE.contains(database.getErrorCode())) {
                return true;
            }
            if (mentionsLostConnection(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Vert.x reports pool and connection failures as plain VertxExceptions; their messages are all there is. */
    private static boolean mentionsLostConnection(String raw) {
        if (raw == null) {
            return false;
        }
        // A batch (the purchase and its WAIT) reports a command's failure as "ERR [index] <failure>".
        String message = BATCH_PREFIX.matcher(raw).replaceFirst("");
        String text = message.toLowerCase(Locale.ROOT);
        // Redis Cluster during a failover: no master for a slot yet, a node still loading, a demoted master.
        // CONNECTION_CLOSED: how the Vert.x Redis client fails the requests still waiting on a node that died.
        if (message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN") || message.startsWith("MASTERDOWN")
                || message.startsWith("LOADING") || message.startsWith("READONLY") || message.startsWith("CONNECTION_CLOSED")) {
            return true;
        }
        return text.contains("connection refused") || text.contains("connection reset")
                || text.contains("connection is closed") || text.contains("connection was closed")
                || text.contains("pool closed") || text.contains("timeout period")
                || text.contains("failed to connect") || text.contains("closedchannelexception");
    }
}
