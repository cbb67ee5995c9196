package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.sql.SQLException;

/** Turns a driver error into a {@link FerryException} whose code follows the SQLSTATE class. */
final class PostgresFailures {

    private PostgresFailures() {
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
        if (state.startsWith("28") || state.equals("42501")) {
            return ErrorCode.CREDENTIALS;
        }
        if (state.startsWith("08") || state.equals("3D000") || state.equals("57P03")) {
            return ErrorCode.CONNECTION;
        }
        return fallback;
    }
}
