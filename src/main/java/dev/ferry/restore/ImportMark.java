package dev.ferry.restore;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;

/**
 * What Ferry writes in a target database's comment about the run importing it: {@code ferry run <id>
 * importing} while an engine that cannot stage imports restores into it, {@code ferry run <id>} once
 * complete. Checkable on the target itself, so a resume after a crash anywhere, even between the
 * target's commit and the journal's record of it, knows whether the target is its own run's work:
 * complete (go on to verification) or half-done (start it again), and never mixes it with another
 * database.
 */
public final class ImportMark {

    private static final String PREFIX = "ferry run ";
    private static final String IMPORTING = " importing";

    /** What the mark says about a run. */
    public enum State { NONE, IMPORTING, COMMITTED }

    private ImportMark() {
    }

    static String committed(String runId) {
        return PREFIX + runId;
    }

    static String importing(String runId) {
        return PREFIX + runId + IMPORTING;
    }

    /**
     * Whether {@code runId} left a complete, verified staging database for {@code target} that it had
     * not finished promoting (a crash during the rename or move): its import finishes the promotion.
     */
    public static boolean stagedComplete(Engine engine, DatabaseEndpoint target, String runId, String step) {
        if (runId == null || !engine.stagesImports()) {
            return false;
        }
        DatabaseEndpoint staging = target.withDatabase(StagingName.of(target.database(), runId));
        return engine.databaseExists(staging, step) && of(engine, staging, runId, step) == State.COMMITTED;
    }

    /** The state of {@code runId}'s import into an existing target database. */
    public static State of(Engine engine, DatabaseEndpoint target, String runId, String step) {
        if (runId == null) {
            return State.NONE;
        }
        String comment = engine.databaseComment(target, step);
        if (committed(runId).equals(comment)) {
            return State.COMMITTED;
        }
        return importing(runId).equals(comment) ? State.IMPORTING : State.NONE;
    }
}
