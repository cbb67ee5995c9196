package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.RestoreCompanion;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A parallel load of a dump into a staging database (never into a database anyone sees before it
 * is verified): the dump's {@code INSERT} statements go to {@code sessions} extra client sessions,
 * each to the one with the least queued, and everything else to the restore's own client (the main
 * session), in the dump's order. Statements that set the session up ({@code SET NAMES},
 * {@code SET FOREIGN_KEY_CHECKS=0}, ...) go to every session, so rows are inserted as the dump's one
 * session would insert them. {@code LOCK TABLES}/{@code UNLOCK TABLES} are left out: the main
 * session holding a table's write lock would keep the others from inserting.
 *
 * <p>Order is kept by two waits (every wait has the tool timeout as deadline): no {@code INSERT}
 * goes out before the main session has run what came before it (the table's {@code CREATE}), and
 * no other statement reaches the main session before every {@code INSERT} handed out before it is
 * committed (a trigger created after a table's rows must not fire for them). A failed session stops
 * the stream; the caller aborts the rest and drops the staging database.
 */
final class MySqlInsertRouter implements RestoreCompanion {

    private static final int LONG_LINE = 16 << 20;

    private final Supplier<ChildCommand> sessionCommand;
    private final int sessionCount;
    private final String database;
    private final String step;
    private final Duration timeout;
    private final String token = "ferry-sync-" + UUID.randomUUID();
    private final List<MySqlLoadSession> sessions = new ArrayList<>();
    private final List<ChildCommand> commands = new ArrayList<>();
    private boolean[] unsynced;
    private OutputStream main;
    private MySqlSyncMarks mainMarks;
    private long mainMarksSent;
    private boolean mainUnsynced;
    private volatile boolean aborted;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private Mode mode = Mode.LINE;
    private MySqlLoadSession inserting;
    private int lastNonSpace = -1;
    private boolean statementStart = true;
    /** Whether the current line, still incomplete, was looked at for an INSERT already. */
    private boolean lineHeadSeen;
    private String delimiter = ";";

    private long routed;
    private long barriers;
    private long barrierNanos;
    private long locksLeftOut;

    private enum Mode {
        /** Collecting a line until it can be told what it is. */
        LINE,
        /** Inside an INSERT statement, streaming to its session. */
        INSERT,
        /** The rest of a very long line for the main session. */
        PASS
    }

    MySqlInsertRouter(Supplier<ChildCommand> sessionCommand, int sessions, String database, String step, Duration timeout) {
        this.sessionCommand = sessionCommand;
        this.sessionCount = sessions;
        this.database = database;
        this.step = step;
        this.timeout = timeout;
    }

    /** The main client's input becomes the router; the extra sessions start now, on the thread that feeds the restore. */
    @Override
    public OutputStream input(ChildProcess tool) {
        main = tool.stdin();
        mainMarks = new MySqlSyncMarks(tool.stdout(), token, "main");
        try {
            for (int i = 1; i <= sessionCount; i++) {
                ChildCommand command = sessionCommand.get();
                commands.add(command);
                sessions.add(new MySqlLoadSession(i, ChildProcess.start(command, step), token, step, database));
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        unsynced = new boolean[sessionCount];
        return new Input();
    }

    @Override
    public void bytes(byte[] buffer, int offset, int length) {
        if (aborted) {
            throw new FerryException(ErrorCode.IMPORT_FAILED, step, "The parallel load into " + database + " was stopped",
                    "another part of the restore failed", "Look at the first error of this step");
        }
        // a session that failed stops the stream now, not at the next table
        sessions.forEach(MySqlLoadSession::requireRunning);
    }

    @Override
    public boolean stderrLine(String line) {
        return false;
    }

    @Override
    public void finish(Duration limit) {
        try {
            for (MySqlLoadSession session : sessions) {
                session.awaitSuccess(limit);
            }
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        releaseCommands();
    }

    @Override
    public void abort() {
        aborted = true;
        sessions.forEach(MySqlLoadSession::kill);
        releaseCommands();
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder("loaded rows with " + sessionCount + " client sessions beside the main one: "
                + routed + " INSERT statements (");
        for (int i = 0; i < sessions.size(); i++) {
            text.append(i == 0 ? "" : "; ").append("session ").append(i + 1).append(": ").append(sessions.get(i).figures());
        }
        return text.append("), ").append(barriers).append(" waits for them before other statements (")
                .append(barrierNanos / 1_000_000).append(" ms), ").append(locksLeftOut)
                .append(" LOCK/UNLOCK TABLES statements left out").toString();
    }

    private void releaseCommands() {
        commands.forEach(MySqlToolOptions::release);
    }

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private void handleLine() throws IOException {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        String head = MySqlDumpLine.head(bytes, length);
        boolean ends = lastNonSpace == ';';
        if (MySqlDumpLine.isCommentOrBlank(head)) {
            main.write(bytes);
        } else if (!";".equals(delimiter)) {
            String next = MySqlDumpLine.delimiter(head);
            toMain(bytes);
            if (";".equals(next)) {
                delimiter = next;
                statementStart = true;
            }
        } else if (!statementStart) {
            toMain(bytes);
            statementStart = ends;
        } else if (MySqlDumpLine.isInsert(bytes, length)) {
            beginInsert(bytes, length);
            if (ends) {
                mode = Mode.LINE;
            }
        } else if (MySqlDumpLine.delimiter(head) != null) {
            delimiter = MySqlDumpLine.delimiter(head);
            toMain(bytes);
        } else if (ends && MySqlDumpLine.isTableLock(head)) {
            locksLeftOut++;
        } else if ((ends && MySqlDumpLine.isSessionSetting(bytes, length)) || MySqlDumpLine.isClientMode(head)) {
            main.write(bytes);
            for (MySqlLoadSession session : sessions) {
                session.send(bytes, 0, length, false, deadline());
            }
        } else {
            toMain(bytes);
            statementStart = ends;
        }
    }

    /** A statement for the main session: once every INSERT handed out before it is committed. */
    private void toMain(byte[] bytes) throws IOException {
        awaitSessions();
        main.write(bytes);
        mainUnsynced = true;
    }

    private void beginInsert(byte[] bytes, int length) throws IOException {
        awaitMain();
        MySqlLoadSession least = sessions.get(0);
        int index = 0;
        for (int i = 1; i < sessions.size(); i++) {
            if (sessions.get(i).backlog() < least.backlog()) {
                least = sessions.get(i);
                index = i;
            }
        }
        inserting = least;
        unsynced[index] = true;
        routed++;
        mode = Mode.INSERT;
        least.send(bytes, 0, length, true, deadline());
    }

    private void awaitMain() throws IOException {
        if (!mainUnsynced) {
            return;
        }
        long n = ++mainMarksSent;
        main.write(mainMarks.statement(n).getBytes(StandardCharsets.US_ASCII));
        main.flush();
        boolean reached;
        try {
            reached = mainMarks.await(n, timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the main client");
        }
        if (!reached) {
            if (mainMarks.ended()) {
                // the main client stopped: the caller reports its exit and stderr
                throw new IOException("the main client ended before it ran the statements before the next INSERT");
            }
            throw new FerryException(ErrorCode.IMPORT_FAILED, step, "The main client did not run the statements before"
                    + " the next INSERT within " + timeout.toSeconds() + " s", "it was restoring into the staging database " + database,
                    "Raise the tool timeout, or look for a lock held on the staging database; import.jobs: 1 loads with one session");
        }
        mainUnsynced = false;
    }

    private void awaitSessions() {
        long start = System.nanoTime();
        long[] marks = new long[sessions.size()];
        boolean any = false;
        for (int i = 0; i < sessions.size(); i++) {
            if (unsynced[i]) {
                marks[i] = sessions.get(i).requestMark();
                any = true;
            }
        }
        if (!any) {
            return;
        }
        long deadline = deadline();
        for (int i = 0; i < sessions.size(); i++) {
            if (unsynced[i]) {
                sessions.get(i).awaitMark(marks[i], deadline);
                unsynced[i] = false;
            }
        }
        barriers++;
        barrierNanos += System.nanoTime() - start;
    }

    private void track(byte[] buffer, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            byte b = buffer[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                lastNonSpace = b;
                return;
            }
        }
    }

    /** What the main client's input becomes: the dump, split between the sessions. */
    private final class Input extends OutputStream {

        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            int end = offset + length;
            int at = offset;
            while (at < end) {
                int newline = indexOf(buffer, at, end);
                int stop = newline < 0 ? end : newline + 1;
                track(buffer, at, stop);
                switch (mode) {
                    case INSERT -> inserting.send(buffer, at, stop - at, false, deadline());
                    case PASS -> main.write(buffer, at, stop - at);
                    case LINE -> line.write(buffer, at, stop - at);
                }
                if (newline >= 0) {
                    endOfLine();
                } else if (mode == Mode.LINE) {
                    classifyEarly();
                }
                at = stop;
            }
        }

        private void endOfLine() throws IOException {
            switch (mode) {
                case INSERT -> {
                    if (lastNonSpace == ';') {
                        mode = Mode.LINE;
                    }
                }
                case PASS -> {
                    mode = Mode.LINE;
                    statementStart = lastNonSpace == ';';
                }
                case LINE -> handleLine();
            }
            line.reset();
            lineHeadSeen = false;
            lastNonSpace = -1;
        }

        /** A long line without its end yet: an INSERT streams, anything else once it passes {@link #LONG_LINE}. */
        private void classifyEarly() throws IOException {
            if (line.size() < MySqlDumpLine.HEAD_BYTES) {
                return;
            }
            if (!lineHeadSeen) {
                lineHeadSeen = true;
                byte[] bytes = line.toByteArray();
                if (statementStart && ";".equals(delimiter) && MySqlDumpLine.isInsert(bytes, bytes.length)) {
                    beginInsert(bytes, bytes.length);
                    line.reset();
                    return;
                }
            }
            if (line.size() >= LONG_LINE) {
                toMain(line.toByteArray());
                line.reset();
                mode = Mode.PASS;
            }
        }

        @Override
        public void flush() throws IOException {
            main.flush();
        }

        /** End of the dump (or of what is left of it after a failure): the sessions commit and end, the main client gets its end of input. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (line.size() > 0 && mode == Mode.LINE) {
                    main.write(line.toByteArray());
                }
            } finally {
                sessions.forEach(MySqlLoadSession::end);
                main.close();
            }
        }

        private static int indexOf(byte[] buffer, int from, int to) {
            for (int i = from; i < to; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
