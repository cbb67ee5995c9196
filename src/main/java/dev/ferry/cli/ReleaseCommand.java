package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.cutover.FreezeRelease;
import dev.ferry.cutover.Estimates;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.online.ChangeStreamRelease;
import dev.ferry.runtime.CaptureLedger;
import dev.ferry.runtime.Console;
import dev.ferry.runtime.FreezeLedger;
import dev.ferry.runtime.JournalEvent;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunLock;
import dev.ferry.runtime.StateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ferry release RUN}: drops the change stream (slot, publication, subscription) an online
 * cutover left, then undoes the source freeze a run left (crashed, or kept after its switch).
 */
@Command(name = "release", description = "Drop the change stream and release the source's write freeze a run left"
        + " (exit 0 released or none, 1 failed, 2 bad input).")
final class ReleaseCommand implements Callable<Integer> {

    static final String STEP = "release";

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'ferry runs').")
    String runId;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Console console = Console.system();
        StateDirectory state = new StateDirectory(common.stateDirectory());
        Path runDirectory = state.existingRun(runId);
        List<JournalEvent> events = RunJournal.read(runDirectory);
        JournalEvent.RunStart start = events.stream().filter(e -> JournalEvent.RUN_STARTED.equals(e.event()))
                .map(JournalEvent::run).findFirst()
                .orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, STEP, "The journal of run " + runId + " has no start",
                        null, "Check the run id with 'ferry runs'"));
        Optional<SourceFreeze> outstanding = FreezeLedger.outstanding(events);
        Optional<ChangeStream> stream = CaptureLedger.outstanding(events);
        if (outstanding.isEmpty() && stream.isEmpty()) {
            console.line("Run " + runId + " left no freeze in effect and no change stream: nothing to release");
            return FerryCli.DONE;
        }
        try (RunLock lock = RunLock.acquire(state.root(), start.name(), runId)) {
            if (stream.isPresent()) {
                String dropped = MigrationRunner.withSettings(Path.of(start.migrationFile()), common.home(), start.sets(),
                        (raw, resolved) -> ChangeStreamRelease.release(raw, resolved, stream.get(), STEP));
                try (RunJournal journal = RunJournal.open(runDirectory)) {
                    CaptureLedger.dropped(journal, stream.get(), STEP, dropped);
                }
                console.line("Dropped: " + dropped);
            }
            if (outstanding.isEmpty()) {
                return FerryCli.DONE;
            }
            SourceFreeze freeze = outstanding.get();
            String done = MigrationRunner.withSettings(Path.of(start.migrationFile()), common.home(), start.sets(),
                    (raw, resolved) -> FreezeRelease.release(raw, resolved, freeze, STEP));
            try (RunJournal journal = RunJournal.open(runDirectory)) {
                FreezeLedger.released(journal, freeze, STEP, done);
            }
            console.line("Released: " + done);
            console.line("writes were frozen for " + Estimates.show(Duration.between(freeze.frozenAt(), Instant.now()))
                    + " (since " + freeze.frozenAt() + ")");
            return FerryCli.DONE;
        }
    }
}
