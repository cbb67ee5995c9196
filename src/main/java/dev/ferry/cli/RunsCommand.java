package dev.ferry.cli;

import dev.ferry.runtime.Console;
import dev.ferry.runtime.JournalEvent;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.StateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "runs", description = "List the runs in the state folder, newest last.")
final class RunsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        StateDirectory state = new StateDirectory(common.stateDirectory());
        Console console = Console.system();
        List<String> ids = state.runIds();
        if (ids.isEmpty()) {
            console.line("No runs in " + state.root());
            return FerryCli.DONE;
        }
        console.line(String.format("%-24s %-12s %-20s %-20s %s", "RUN", "STATUS", "MIGRATION", "PIPELINE", "LAST STEP"));
        for (String id : ids) {
            List<JournalEvent> events = RunJournal.read(state.runDirectory(id));
            JournalEvent.RunStart start = events.stream().map(JournalEvent::run).filter(r -> r != null).findFirst().orElse(null);
            String status = events.stream().filter(e -> JournalEvent.RUN_FINISHED.equals(e.event())).reduce((a, b) -> b)
                    .map(JournalEvent::status).orElse("incomplete");
            String lastStep = events.stream().filter(e -> e.step() != null).reduce((a, b) -> b)
                    .map(e -> e.step() + " " + e.event().replace("step-", "")).orElse("-");
            String frozen = dev.ferry.runtime.FreezeLedger.outstanding(events)
                    .map(f -> "   source " + f.where() + " frozen: 'ferry release " + id + "' lifts it").orElse("");
            String stream = dev.ferry.runtime.CaptureLedger.outstanding(events)
                    .map(s -> (s.replicatedByBinlog() ? "   " + s.describe() : "   replication slot " + s.slot() + " on " + s.sourceHost() + ":"
                            + s.sourcePort() + "/" + s.sourceDatabase()) + " not dropped: 'ferry release " + id + "' drops it").orElse("");
            console.line(String.format("%-24s %-12s %-20s %-20s %s", id, status, start == null ? "?" : start.name(),
                    start == null ? "?" : start.pipeline(), lastStep) + frozen + stream);
        }
        return FerryCli.DONE;
    }
}
