package dev.ferry.cli;

import dev.ferry.runtime.Console;
import dev.ferry.runtime.PreparedMigration;
import dev.ferry.runtime.RunPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "plan", description = "Show what a migration would do, step by step, without connecting to anything.")
final class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--from", paramLabel = "STEP")
    String from;

    @Option(names = "--until", paramLabel = "STEP")
    String until;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PreparedMigration prepared = PreparedMigration.prepare(file, common.home(), sets, from, until, Map.of());
        Console console = Console.system();
        console.line(PlanText.render(prepared));
        prepared.settings().find("cutover.window").ifPresent(window -> console.line(windowText(prepared, window)));
        return FerryCli.DONE;
    }

    /** The window, where now stands in it, and the estimate the latest rehearsal gives. */
    private String windowText(PreparedMigration prepared, String text) {
        dev.ferry.cutover.CutoverWindow window = dev.ferry.cutover.CutoverWindow.parse(text, "plan");
        java.time.Instant now = java.time.Instant.now();
        StringBuilder out = new StringBuilder("Window: ").append(window.describe()).append('\n');
        window.containing(now).ifPresentOrElse(
                span -> out.append("  now inside it, ").append(dev.ferry.cutover.Estimates.show(span.left(now)))
                        .append(" left (ends ").append(window.show(span.end())).append(")\n"),
                () -> out.append("  now outside it").append(window.next(now).map(n -> "; next opens " + window.show(n.start()))
                        .orElse("; none ahead")).append('\n'));
        java.util.List<String> steps = prepared.plan().steps().stream().filter(s -> s.action() == RunPlan.Action.RUN)
                .map(RunPlan.PlannedStep::id).toList();
        dev.ferry.cutover.Estimates.read(common.stateDirectory(), prepared.migration().name()).ifPresentOrElse(
                recorded -> out.append("  estimate ").append(dev.ferry.cutover.Estimates.show(
                                dev.ferry.cutover.Estimates.estimate(recorded, -1, steps)))
                        .append(" from rehearsal ").append(recorded.runId()).append(" (").append(recorded.sourceBytes())
                        .append(" bytes then; scaled to the source's size when the freeze step measures it)\n"),
                () -> out.append("  no rehearsal recorded: run 'ferry run FILE --rehearsal' for an estimate\n"));
        return out.toString();
    }

    /** The plan as people read it. */
    static final class PlanText {
        private PlanText() {
        }

        static String render(PreparedMigration prepared) {
            StringBuilder text = new StringBuilder();
            text.append("Migration '").append(prepared.migration().name()).append("' with pipeline ")
                    .append(prepared.pipeline().id()).append(" (").append(prepared.pipeline().file().getFileName()).append(")\n");
            int number = 1;
            for (RunPlan.PlannedStep step : prepared.plan().steps()) {
                text.append(String.format("%d. %-20s %-8s %s%s%n", number++, step.id(), step.action().name().toLowerCase(),
                        step.uri(), step.replaced() ? "   (replaced by the migration)" : ""));
                text.append("   ").append(step.contract().summary()).append('\n');
                if (!step.contract().reads().isEmpty()) {
                    text.append("   reads ").append(String.join(", ", new java.util.TreeSet<>(step.contract().reads()))).append('\n');
                }
                if (!step.contract().sets().isEmpty()) {
                    text.append("   sets  ").append(String.join(", ", new java.util.TreeSet<>(step.contract().sets()))).append('\n');
                }
                int jobs = prepared.settings().getInt("import.jobs", 1, "plan");
                String engine = prepared.settings().get("target.engine", "postgresql");
                String parallel = jobs > 1 && step.id().equals("import")
                        ? dev.ferry.engine.Engines.all().stream().filter(e -> e.handles(engine)).findFirst()
                                .map(e -> e.parallelRestorePlan(jobs, Boolean.parseBoolean(prepared.settings().get("clean", "false"))))
                                .orElse(null)
                        : null;
                if (parallel != null) {
                    text.append("   ").append(parallel).append('\n');
                }
            }
            text.append("Settings:\n");
            prepared.settings().forDisplay().forEach((k, v) -> {
                if (!k.startsWith("step.")) {
                    text.append("  ").append(k).append(" = ").append(v).append('\n');
                }
            });
            return text.toString();
        }
    }
}
