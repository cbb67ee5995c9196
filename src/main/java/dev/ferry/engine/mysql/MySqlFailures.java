package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Turns a driver error into a {@link FerryException} whose code follows the server's error number or SQLSTATE. */
final class MySqlFailures {

    /** Access denied: for the user (1045), to the database (1044), by auth plugin (1698), password expired (1820, 1862). */
    private static final Set<Integer> CREDENTIAL_ERRORS = Set.of(1045, 1044, 1698, 1820, 1862);
    /** Unknown database (1049), client-side connection errors (2002, 2003, 2005, 2006, 2013), too many connections (1040). */
    private static final Set<Integer> CONNECTION_ERRORS = Set.of(1049, 2002, 2003, 2005, 2006, 2013, 1040);
    static final int UNKNOWN_DATABASE = 1049;

    private MySqlFailures() {
    }

    static FerryException of(SQLException e, ErrorCode fallback, String step, String what, String next) {
        if (dev.ferry.engine.JdbcDeadline.isTimeout(e)) {
            return new FerryException(ErrorCode.CONNECTION, step, what + ": timed out", e.getMessage() + "; "
                    + dev.ferry.engine.JdbcDeadline.readTimedOut(), next, e);
        }
        return new FerryException(codeOf(e, fallback), step, what, e.getMessage(), next, e);
    }

    static ErrorCode codeOf(SQLException e, ErrorCode fallback) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28") || CREDENTIAL_ERRORS.contains(e.getErrorCode())) {
            return ErrorCode.CREDENTIALS;
        }
        if (state.startsWith("08") || CONNECTION_ERRORS.contains(e.getErrorCode())
                || e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException) {
            return ErrorCode.CONNECTION;
        }
        return fallback;
    }
}
