package dev.ferry.restore;

import dev.ferry.runtime.ProgressHandle;

import java.nio.file.Path;

/**
 * What a restore needs from whoever runs it: a pipeline step ({@code ferry:restore}) or Ferry's
 * Everest DataImporter ({@code ferry importer}). Both restore through {@link ArtifactRestore}.
 */
public interface RestoreContext {

    /** The name failures are attributed to (a step id, or {@code importer}). */
    String stepId();

    /** A sentence for the report or the log. */
    void note(String note);

    /** Bytes restored so far, for the rate. */
    void bytes(long bytes);

    /** A progress display for one object. */
    ProgressHandle progress(String label, long totalBytes);

    /** Runs when the run (or the importer) ends, however it ends: kill children, delete files. */
    void onEnd(AutoCloseable cleanup);

    /**
     * Runs when the run ends, only if this restore's step finished and the run's journal recorded
     * that (so a resume will not restore again): dropping what a resume would need to recognise the
     * target. Without a journal, when the run ends.
     */
    default void onEndOnceRecorded(AutoCloseable cleanup) {
        onEnd(cleanup);
    }

    /**
     * The id of the run restoring, or null: with a run id an engine that can stages the import in a
     * database of its own, renamed into place at the end, and a resume recognises a target this
     * run committed.
     */
    default String runId() {
        return null;
    }

    /** Records, durably, what is about to happen before it happens (the run's journal), so a crash right after it is understood. */
    default void intent(String what) {
    }

    /** A private folder for spool files (parallel restores). */
    Path workDirectory();
}
