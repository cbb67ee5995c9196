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
        return FerryCli.DONE;
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
                if (step.id().equals("import") && prepared.settings().getInt("import.jobs", 1, "plan") > 1) {
                    text.append("   spools the dump to local disk: pg_restore -j ")
                            .append(prepared.settings().get("import.jobs", "1")).append(" needs a seekable file\n");
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
