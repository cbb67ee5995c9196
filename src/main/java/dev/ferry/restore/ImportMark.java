package dev.ferry.restore;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;

/**
 * What Ferry records about the run importing a database ({@link Engine#importMark}): {@code ferry run
 * <id> importing} while an engine that cannot stage imports restores into it, {@code ferry run <id>}
 * once complete, and {@code ferry run <id> moved} on what is left of a staging database whose
 * objects moved into the target (MySQL: the mark stays out of the target). Checkable on the server
 * itself, so a resume after a crash anywhere, even between the target's commit and the journal's
 * record of it, knows whether the target is its own run's work: complete (go on to verification) or
 * half-done (start it again), and never mixes it with another database.
 */
public final class ImportMark {

    private static final String PREFIX = "ferry run ";
    private static final String IMPORTING = " importing";
    private static final String MOVED = " moved";
    private static final java.util.regex.Pattern OWNED =
            java.util.regex.Pattern.compile("ferry run (\\S+) importing \\(pid (\\d+) on (.+)\\)");

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

    static String moved(String runId) {
        return PREFIX + runId + MOVED;
    }

    /** A staging database's mark while its run restores into it, naming the process, so a later run can tell a dead one's. */
    static String stagingBy(String runId, long pid, String host) {
        return PREFIX + runId + IMPORTING + " (pid " + pid + " on " + host + ")";
    }

    /** Who wrote a {@link #stagingBy} mark, or empty for any other mark. */
    static java.util.Optional<Owner> owner(String mark) {
        java.util.regex.Matcher matcher = mark == null ? null : OWNED.matcher(mark);
        if (matcher == null || !matcher.matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Owner(matcher.group(1), Long.parseLong(matcher.group(2)), matcher.group(3)));
    }

    /** The run, process and host restoring into a staging database. */
    record Owner(String runId, long pid, String host) {
    }

    /**
     * Whether {@code runId} left a complete, verified staging database for {@code target} that it had
     * not finished promoting (a crash during the rename or move): its import finishes the promotion.
     */
    public static boolean stagedComplete(Engine engine, DatabaseEndpoint target, String runId, String step) {
        DatabaseEndpoint staging = staging(engine, target, runId);
        return staging != null && engine.databaseExists(staging, step)
                && committed(runId).equals(engine.importMark(staging, step));
    }

    /** Whether what is left of {@code runId}'s staging database after a finished move is still there, to be dropped. */
    public static boolean movedStagingLeft(Engine engine, DatabaseEndpoint target, String runId, String step) {
        DatabaseEndpoint staging = staging(engine, target, runId);
        return staging != null && engine.databaseExists(staging, step)
                && moved(runId).equals(engine.importMark(staging, step));
    }

    /**
     * The state of {@code runId}'s import into an existing target database: committed when the target
     * says so, or when the run's staging database says its objects moved into the target.
     */
    public static State of(Engine engine, DatabaseEndpoint target, String runId, String step) {
        if (runId == null) {
            return State.NONE;
        }
        String mark = engine.importMark(target, step);
        if (committed(runId).equals(mark) || movedStagingLeft(engine, target, runId, step)) {
            return State.COMMITTED;
        }
        return importing(runId).equals(mark) ? State.IMPORTING : State.NONE;
    }

    /** The name of {@code runId}'s staging database for {@code target}. */
    public static String stagingName(DatabaseEndpoint target, String runId) {
        return StagingName.of(target.database(), runId);
    }

    /** The staging database of {@code runId}'s import into {@code target}, or null when nothing is staged. */
    static DatabaseEndpoint staging(Engine engine, DatabaseEndpoint target, String runId) {
        if (runId == null || !engine.stagesImports()) {
            return null;
        }
        return target.withDatabase(StagingName.of(target.database(), runId));
    }
}
