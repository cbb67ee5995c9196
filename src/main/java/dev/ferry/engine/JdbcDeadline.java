package dev.ferry.engine;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.net.SocketTimeoutException;
import java.util.Locale;

/** Tells a JDBC failure that is a deadline passing (no answer from the server) from others, and says so in the message. */
public final class JdbcDeadline {

    private JdbcDeadline() {
    }

    /** Whether the failure is the driver giving up on a server that did not answer in time. */
    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // not "timeout" alone: the server's own "Lock wait timeout exceeded" is no deadline of ours
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof SocketTimeoutException || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    /** The server accepted the connection (or not) but the connect and login did not finish in time. */
    public static FerryException connectTimedOut(DatabaseEndpoint endpoint, JdbcUse use, String product, Exception e, String step) {
        long seconds = endpoint.jdbc().connect(use).toSeconds();
        return new FerryException(ErrorCode.CONNECTION, step, "Timed out connecting to " + product + " " + endpoint.describe()
                + " after " + seconds + " s", "no answer to the connection and login within " + seconds + " s (" + e.getMessage() + ")",
                "Check that host and port are the database server's and that it is not overloaded or stopped;"
                + " a server that accepts connections and never answers looks like this", e);
    }

    /** The words to add to a failure whose cause is a read deadline passing. */
    public static String readTimedOut() {
        return "the server did not answer within the connection's read deadline (probe " + JdbcTimeouts.DEFAULT.probe().toSeconds()
                + " s, statement " + JdbcTimeouts.DEFAULT.statement().toMinutes() + " min, long query "
                + JdbcTimeouts.DEFAULT.longQuery().toHours() + " h unless <side>." + "jdbc.*TimeoutSeconds say otherwise)";
    }
}
