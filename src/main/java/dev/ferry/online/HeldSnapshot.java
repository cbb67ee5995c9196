package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeCapture;
import dev.ferry.engine.ChangeStream;
import dev.ferry.runtime.RunContext;

/**
 * The snapshot a change stream starts at, held open by this process from the slot's creation until
 * the dump has read it (the follow step lets it go; the run's end in any case). It cannot outlive the
 * process: a resumed run whose dump has still to run finds none and must start again.
 */
public final class HeldSnapshot implements AutoCloseable {

    private static final String KEY = "online.snapshot";

    private ChangeCapture.ExportedSnapshot snapshot;

    static HeldSnapshot of(RunContext run) {
        return run.shared(KEY, HeldSnapshot.class, HeldSnapshot::new);
    }

    synchronized void hold(ChangeCapture.ExportedSnapshot exported) {
        close();
        snapshot = exported;
    }

    /** The id of the held snapshot that {@code stream} starts at, for a dump to read. */
    public static String id(RunContext run, ChangeStream stream, String step) {
        HeldSnapshot held = of(run);
        synchronized (held) {
            if (held.snapshot == null) {
                throw new FerryException(ErrorCode.CHANGE_CAPTURE, step, "The snapshot the slot " + stream.slot() + " starts at is gone",
                        "it lives only as long as the Ferry process that created the slot, and that process ended before the dump",
                        "Start a new run; this run drops its slot when it ends ('ferry release " + run.runId() + "' drops it now)");
            }
            return held.snapshot.id();
        }
    }

    @Override
    public synchronized void close() {
        if (snapshot != null) {
            snapshot.close();
            snapshot = null;
        }
    }
}
