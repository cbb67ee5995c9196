package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.apache.camel.Exchange;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a migration, new or resumed, and returns its report. */
public final class MigrationRunner {

    private final RunOptions options;
    private final StateDirectory state;

    public MigrationRunner(RunOptions options) {
        this.options = options;
        this.state = new StateDirectory(options.stateDirectory());
    }

    public RunReport run(Path migrationFile) {
        String until = options.dryRun() ? firstOf(options.until(), "preflight") : options.until();
        PreparedMigration prepared = PreparedMigration.prepare(migrationFile, options.home(), options.sets(),
                options.from(), until, Map.of());
        String runId = state.newRunId();
        try (RunLock lock = RunLock.acquire(state.root(), prepared.migration().name(), runId)) {
            Path runDirectory = state.createRunDirectory(runId);
            try (RunJournal journal = RunJournal.open(runDirectory)) {
                journal.append(new JournalEvent(JournalEvent.RUN_STARTED, Instant.now(), null, null, null, null, null, null, null,
                        new JournalEvent.RunStart(runId, prepared.migration().file().toString(), prepared.pipeline().id(),
                                prepared.migration().name(), options.sets(), options.from(), until, options.home().toString(),
                                MigrationFileChange.sha256(migrationFile), prepared.settings().forDisplay())));
                return execute(prepared, runId, runDirectory, journal, Map.of());
            }
        }
    }

    public RunReport resume(String runId) {
        return resume(runId, false);
    }

    /** @param acceptChangedFile resume even though the migration file changed since the run started */
    public RunReport resume(String runId, boolean acceptChangedFile) {
        Path runDirectory = state.existingRun(runId);
        List<JournalEvent> events = RunJournal.read(runDirectory);
        JournalEvent.RunStart start = events.stream().filter(e -> JournalEvent.RUN_STARTED.equals(e.event()))
                .map(JournalEvent::run).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, null, "The journal of run " + runId + " has no start",
                        null, "Start a new run with 'ferry run'"));
        JournalEvent end = events.isEmpty() ? null : events.get(events.size() - 1);
        if (end != null && JournalEvent.RUN_FINISHED.equals(end.event()) && !RunReport.FAILED.equals(end.status())) {
            Path report = runDirectory.resolve("report.json");
            throw new FerryException(ErrorCode.NOTHING_TO_DO, null, "Run " + runId + " already finished (" + end.status() + ") at "
                    + end.at(), "nothing is left to resume; the run, its target and its report stay as they are",
                    RunReport.PARTIAL.equals(end.status())
                            ? "Run the remaining steps with 'ferry run " + start.migrationFile() + " --from <step> --set artifact=<the run's artifact>'"
                            : "Compare its target again with 'ferry verify " + runId + "'; its report is " + report);
        }
        Map<String, JournalEvent> finished = finishedSteps(events);
        PreparedMigration prepared = PreparedMigration.prepare(Path.of(start.migrationFile()), options.home(), start.sets(),
                start.from(), start.until(), finished);
        String change = MigrationFileChange.describe(start, prepared.settings().forDisplay());
        if (change != null && !acceptChangedFile) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "The migration file " + start.migrationFile()
                    + " changed since run " + runId + " started", change,
                    "Undo the change to resume this run as it began, start a new run with 'ferry run', or resume with "
                            + "--accept-changed-file to continue with the file as it is now");
        }
        try (RunLock lock = RunLock.acquire(state.root(), prepared.migration().name(), runId);
             RunJournal journal = RunJournal.open(runDirectory)) {
            journal.append(new JournalEvent(JournalEvent.RUN_RESUMED, Instant.now(), null, null, null, null,
                    change == null ? null : List.of("accepted a changed migration file: " + change), null, null, null));
            return execute(prepared, runId, runDirectory, journal, finished);
        }
    }

    /** Steps whose latest journal line says they finished. */
    static Map<String, JournalEvent> finishedSteps(List<JournalEvent> events) {
        Map<String, JournalEvent> finished = new LinkedHashMap<>();
        for (JournalEvent event : events) {
            if (event.step() == null) {
                continue;
            }
            if (JournalEvent.STEP_FINISHED.equals(event.event())) {
                finished.put(event.step(), event);
            } else if (JournalEvent.STEP_STARTED.equals(event.event()) || JournalEvent.STEP_FAILED.equals(event.event())) {
                finished.remove(event.step());
            }
        }
        return finished;
    }

    private RunReport execute(PreparedMigration prepared, String runId, Path runDirectory, RunJournal journal,
                              Map<String, JournalEvent> restored) {
        Instant started = Instant.now();
        RunContext run = null;
        Throwable failure = null;
        try (FerryCamel camel = FerryCamel.start(prepared.catalog(), prepared.migration(), new StepGuard(prepared.migration().name()))) {
            Settings resolved = resolveSettings(prepared.settings(), camel);
            run = new RunContext(runId, runDirectory, prepared.settings(), resolved, prepared.plan(),
                    journal, options, restored);
            RunContext current = run;
            options.console().line("Run " + runId + ": " + prepared.migration().name() + " (pipeline " + prepared.pipeline().id()
                    + (options.dryRun() ? ", dry run: checks only, no data moves" : "") + ")");
            Exchange exchange = camel.context().createProducerTemplate().send(FerryCamel.ENTRY,
                    e -> e.setVariable(Variables.RUN, current));
            failure = exchange.getException();
        } catch (FerryException e) {
            failure = e;
        } finally {
            if (run != null) {
                run.runCleanups();
            }
        }
        return finish(prepared, runId, run, journal, started, failure);
    }

    /**
     * Reads a migration file and hands its settings, as written and with placeholders resolved, to
     * {@code use}; runs no step (for commands such as {@code ferry storage cleanup}).
     */
    public static <T> T withSettings(Path migrationFile, Path home, java.util.function.BiFunction<Settings, Settings, T> use) {
        PreparedMigration prepared = PreparedMigration.prepare(migrationFile, home, Map.of(), null, null, Map.of());
        try (FerryCamel camel = FerryCamel.start(prepared.catalog(), prepared.migration(), new StepGuard(prepared.migration().name()))) {
            return use.apply(prepared.settings(), resolveSettings(prepared.settings(), camel));
        }
    }

    private static Settings resolveSettings(Settings settings, FerryCamel camel) {
        return settings.resolved(value -> {
            if (value == null || !value.contains("{{")) {
                return value;
            }
            try {
                return camel.resolve(value);
            } catch (RuntimeException e) {
                throw new FerryException(ErrorCode.MISSING_INPUT, null, "A setting's placeholder " + value + " cannot be resolved",
                        FerryCamel.rootMessage(e), "Export the environment variable or define the property it names");
            }
        });
    }

    private RunReport finish(PreparedMigration prepared, String runId, RunContext run, RunJournal journal, Instant started,
                             Throwable failure) {
        Instant finished = Instant.now();
        List<StepRecord> steps = run == null ? List.of() : new ArrayList<>(run.records().values());
        JournalEvent.ErrorInfo error = null;
        if (failure != null) {
            FerryException explained = StepGuard.explain(null, "?", failure);
            error = new JournalEvent.ErrorInfo(explained.code().name(), explained.getMessage(), explained.why(), explained.next());
            if (run == null || steps.stream().noneMatch(s -> s.status == StepRecord.Status.FAILED)) {
                options.console().error("error: " + explained.getMessage());
            }
        }
        String status = failure != null ? RunReport.FAILED
                : stoppedEarly(prepared) && !options.dryRun() ? RunReport.PARTIAL : RunReport.PASSED;
        try {
            journal.append(new JournalEvent(JournalEvent.RUN_FINISHED, finished, null, null, null, null, null, error, status, null));
        } catch (FerryException full) {
            // the run stays "incomplete" in the journal, so it can be resumed once there is room
            options.console().error("error: " + full.getMessage() + ": " + full.why() + "\n    next: " + full.next());
        }
        RunReport report = new RunReport(runId, prepared.migration().name(), prepared.pipeline().id(),
                prepared.migration().file().toString(), status, started, finished, Duration.between(started, finished).toMillis(),
                run == null ? null : run.artifactUri(), steps, run == null ? List.of() : run.differences(), error, journal.file().toString());
        try {
            ReportWriter.writeJson(report, journal.file().resolveSibling("report.json"));
        } catch (RuntimeException full) {
            options.console().error("error: could not write " + journal.file().resolveSibling("report.json") + ": " + full.getMessage());
        }
        return report;
    }

    /** Whether --until left steps of the pipeline unrun. */
    private static boolean stoppedEarly(PreparedMigration prepared) {
        List<RunPlan.PlannedStep> steps = prepared.plan().steps();
        int last = steps.size() - 1;
        for (int i = last; i >= 0; i--) {
            if (steps.get(i).action() != RunPlan.Action.SKIP) {
                return i < last;
            }
        }
        return true;
    }

    private static String firstOf(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
