package dev.ferry.engine;

/**
 * What a JDBC connection is opened for, which decides how long a read may wait for the server
 * (the driver's socket timeout; see {@link JdbcTimeouts}): a server that accepts and never answers
 * fails a probe in seconds, not never.
 */
public enum JdbcUse {
    /** A catalog look-up or version check: answers in milliseconds on a healthy server. */
    PROBE,
    /** DDL and administration: creating, renaming, dropping a database, freezing writes, which may wait for locks. */
    STATEMENT,
    /** Figures, row hashes and user check queries over whole tables, and snapshot sessions that run them. */
    LONG_QUERY
}
