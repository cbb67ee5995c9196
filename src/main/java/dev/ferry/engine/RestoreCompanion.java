package dev.ferry.engine;

import dev.ferry.process.ChildProcess;

import java.io.OutputStream;
import java.time.Duration;

/**
 * Work an engine runs beside a restore tool while it reads its stream: it sees every byte fed to
 * the tool (before the tool does) and every line the tool writes on stderr, and finishes once the
 * tool has succeeded. PostgreSQL's builds each table's indexes and constraints as soon as the
 * table's data is in, while the tool goes on loading the next tables.
 */
public interface RestoreCompanion {

    /**
     * Where the stream goes, once the tool has started: the tool's stdin, or a stream of the
     * companion's that hands the tool its share (MySQL's parallel load routes INSERTs to sessions
     * of its own). Closing it ends the tool's input.
     */
    default OutputStream input(ChildProcess tool) {
        return tool.stdin();
    }

    /** The next bytes of the stream; throws when the companion has failed, so the restore stops early. */
    void bytes(byte[] buffer, int offset, int length);

    /** A line the tool wrote on stderr; true when it was the companion's (progress), false to keep it for errors. */
    boolean stderrLine(String line);

    /** The tool read the whole stream and succeeded: runs what is left, waits for it, throws on failure. */
    void finish(Duration timeout);

    /** Stops whatever still runs (after a failure anywhere); nothing it did is kept by the caller. */
    void abort();

    /** What it did, for the step's notes. */
    String summary();
}
