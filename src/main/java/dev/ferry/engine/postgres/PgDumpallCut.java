package dev.ferry.engine.postgres;

import dev.ferry.engine.SqlScriptCut;

import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * One database's part of a {@code pg_dumpall} script, to run in another database: from its
 * {@code -- Database "<name>" dump} header, without what comes before its {@code \connect} (the
 * database's DROP and CREATE), to {@code -- PostgreSQL database dump complete}. Left out as well:
 * statements on the database itself (ALTER, COMMENT ON, GRANT, REVOKE ... DATABASE name it, which
 * would change the server's database of that name, not the one restored into) and ownership
 * ({@code ALTER ... OWNER TO}, as Ferry restores with --no-owner). COPY data passes untouched.
 */
final class PgDumpallCut extends SqlScriptCut {

    private static final Pattern DATABASE_STATEMENT = Pattern.compile("^(ALTER|COMMENT ON|GRANT|REVOKE|SECURITY LABEL ON) DATABASE ");
    private static final Pattern OWNER = Pattern.compile("^ALTER \\S.* OWNER TO .*;$");
    private static final String END = "-- PostgreSQL database dump complete";

    private enum State { BEFORE, HEAD, BODY, COPY, DONE }

    private final String header;
    private State state = State.BEFORE;

    PgDumpallCut(InputStream script, String database) {
        super(script);
        this.header = "-- Database \"" + database + "\" dump";
    }

    @Override
    protected boolean keep(String line) {
        switch (state) {
            case BEFORE -> {
                if (line.equals(header)) {
                    state = State.HEAD;
                }
                return false;
            }
            case HEAD -> {
                if (line.startsWith("\\connect ")) {
                    state = State.BODY;
                }
                return false;
            }
            case COPY -> {
                if (line.equals("\\.")) {
                    state = State.BODY;
                }
                return true;
            }
            case BODY -> {
                if (line.equals(END)) {
                    state = State.DONE;
                    return false;
                }
                if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
                    state = State.COPY;
                    return true;
                }
                return !DATABASE_STATEMENT.matcher(line).find() && !OWNER.matcher(line).matches() && !line.startsWith("\\");
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public boolean foundWhole() {
        return state == State.DONE;
    }
}
