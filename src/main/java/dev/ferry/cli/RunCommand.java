package dev.ferry.cli;

import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", description = "Run a migration file.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The migration file (*.camel.yaml).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting of the migration (not secrets).")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Check everything (credentials, versions, tools, bucket, target) but move no data.")
    boolean dryRun;

    @Option(names = "--rehearsal", description = "Rehearse a cutover: into the rehearsal.target.* database, no freeze, no switch;"
            + " records the step durations the window's estimate uses.")
    boolean rehearsal;

    @Option(names = "--from", paramLabel = "STEP", description = "Start at this step.")
    String from;

    @Option(names = "--until", paramLabel = "STEP", description = "Stop after this step.")
    String until;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        RunOptions options = common.runOptions(sets, from, until, dryRun, null, rehearsal);
        return report.publish(new MigrationRunner(options).run(file), options.console());
    }
}
