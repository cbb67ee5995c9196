package dev.ferry.runtime;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a migration as the steps see it (exchange variable {@code ferry.run}): its id and
 * folder, the resolved settings, the journal, the report rows, progress, and clean-up actions that
 * run when the run ends however it ends.
 */
public final class RunContext {

    private static final String ARTIFACT_FIGURE = "artifact";

    private final String runId;
    private final Path runDirectory;
    private final Settings settings;
    private final Settings rawSettings;
    private final RunPlan plan;
    private final RunJournal journal;
    private final RunOptions options;
    private final Map<String, StepRecord> records = new LinkedHashMap<>();
    private final Map<String, JournalEvent> restored;
    private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
    private final java.util.Set<String> recordedFinished = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.List<String> differences = new java.util.ArrayList<>();
    private String artifactUri;
    private final Map<String, Object> shared = new java.util.HashMap<>();
    private final boolean rehearsal;
    private final String migration;
    private Long writeDowntimeMs;

    RunContext(String runId, Path runDirectory, Settings rawSettings,
               Settings settings, RunPlan plan, RunJournal journal, RunOptions options, Map<String, JournalEvent> restored,
               boolean rehearsal, String migration) {
        this.rehearsal = rehearsal;
        this.migration = migration;
        this.runId = runId;
        this.runDirectory = runDirectory;
        this.settings = settings;
        this.rawSettings = rawSettings;
        this.plan = plan;
        this.journal = journal;
        this.options = options;
        this.restored = restored;
        plan.steps().forEach(s -> records.put(s.id(), new StepRecord(s.id(), s.uri())));
    }

    public String runId() {
        return runId;
    }

    /** The migration's name (its routeId), which estimates and locks are kept by. */
    public String migration() {
        return migration;
    }

    /** Whether this run rehearses a cutover: a scratch target, no freeze, no switch. */
    public boolean rehearsal() {
        return rehearsal;
    }

    /** Whether this run only checks ({@code --dry-run}). */
    public boolean dryRun() {
        return options.dryRun();
    }

    /** The state folder (runs/, locks/, estimates/). */
    public Path stateRoot() {
        return options.stateDirectory();
    }

    /** Journals a source freeze's intent (before it takes effect) or its release, with the freeze itself. */
    public void journalFreeze(String stepId, Object freeze, boolean released, String note) {
        journal.append(new JournalEvent(released ? JournalEvent.FREEZE_RELEASED : JournalEvent.FREEZE_INTENT, java.time.Instant.now(),
                stepId, null, Map.of(Variables.FREEZE, JournalCodec.encode(freeze)), null, java.util.List.of(note), null, null, null));
    }

    /** Journals a change stream's intent (before anything of it exists) or that it was dropped. */
    public void journalCapture(String stepId, Object stream, boolean dropped, String note) {
        journal.append(new JournalEvent(dropped ? JournalEvent.CAPTURE_DROPPED : JournalEvent.CAPTURE_INTENT, java.time.Instant.now(),
                stepId, null, Map.of(Variables.CHANGES, JournalCodec.encode(stream)), null, java.util.List.of(note), null, null, null));
    }

    /** How long the source's writes were frozen (freeze to switch, or to release), for the report. */
    public void writeDowntime(long millis) {
        this.writeDowntimeMs = millis;
    }

    public Long writeDowntimeMs() {
        return writeDowntimeMs;
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /** Settings with placeholders resolved. Secret values in here are only for credential collection. */
    public Settings settings() {
        return settings;
    }

    /** Settings as written, placeholders unresolved: safe to show, and they tell where a secret came from. */
    public Settings rawSettings() {
        return rawSettings;
    }

    /** Ferry's home folder: pipelines/, routes/, pgbackrest/. */
    public Path home() {
        return options.home();
    }

    public RunPlan plan() {
        return plan;
    }

    RunJournal journal() {
        return journal;
    }

    public Console console() {
        return options.console();
    }

    public ProgressHandle progress(String label, long totalBytes) {
        return options.progress().start(label, totalBytes);
    }

    public StepRecord record(String stepId) {
        return records.computeIfAbsent(stepId, id -> new StepRecord(id, "?"));
    }

    public Map<String, StepRecord> records() {
        return records;
    }

    /** The journal line of a step finished in the run being resumed. */
    JournalEvent restored(String stepId) {
        return restored.get(stepId);
    }

    /** Adds a figure (bytes, rows, versions...) to a step's report row and journal line. */
    public void figure(String stepId, String name, Object value) {
        record(stepId).figures.put(name, value);
    }

    /** Adds bytes moved by a step; its rate is computed when it ends. */
    public void bytes(String stepId, long bytes) {
        record(stepId).bytes += bytes;
    }

    /** A sentence for the report about what a step did or decided (for example: spooled to local disk). */
    public void note(String stepId, String note) {
        record(stepId).notes.add(note);
    }

    /** Journals what a step is about to do before it does it (renaming a staging database into place, say). */
    public void intent(String stepId, String what) {
        journal.append(new JournalEvent(JournalEvent.INTENT, java.time.Instant.now(), stepId, null, null, null,
                java.util.List.of(what), null, null, null));
    }

    /** The artifact this run wrote or read, for the report. */
    public void artifactUri(String stepId, String uri) {
        this.artifactUri = uri;
        figure(stepId, ARTIFACT_FIGURE, uri);
    }

    /** The artifact's URI: set in this run, or recorded by a step restored from the journal. */
    public String artifactUri() {
        if (artifactUri != null) {
            return artifactUri;
        }
        return records.values().stream().map(r -> r.figures.get(ARTIFACT_FIGURE)).filter(java.util.Objects::nonNull)
                .map(Object::toString).reduce((a, b) -> b).orElse(null);
    }

    /** Differences a smoke test found between source and target, for the report. */
    public void differences(java.util.List<String> found) {
        differences.addAll(found);
    }

    public java.util.List<String> differences() {
        return java.util.List.copyOf(differences);
    }

    /**
     * A resource shared by the run's steps (an S3 client, say), made on first use and closed when
     * the run ends if it is closeable.
     */
    public synchronized <T> T shared(String key, Class<T> type, java.util.function.Supplier<T> factory) {
        Object existing = shared.get(key);
        if (existing == null) {
            existing = factory.get();
            shared.put(key, existing);
            if (existing instanceof AutoCloseable closeable) {
                onEnd(closeable);
            }
        }
        return type.cast(existing);
    }

    /** Runs when the run ends, last registered first: kill children, delete temporary files. */
    public synchronized void onEnd(AutoCloseable cleanup) {
        cleanups.push(cleanup);
    }

    /** Runs when the run ends if the step finished in this run and the journal holds that line; otherwise not at all. */
    public void onEndIfRecorded(String stepId, AutoCloseable cleanup) {
        onEnd(() -> {
            if (recordedFinished.contains(stepId)) {
                cleanup.close();
            }
        });
    }

    void finishRecorded(String stepId) {
        recordedFinished.add(stepId);
    }

    void runCleanups() {
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().close();
            } catch (Exception e) {
                console().warn("clean-up failed: " + e.getMessage());
            }
        }
    }
}
