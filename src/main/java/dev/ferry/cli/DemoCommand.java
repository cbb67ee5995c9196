package dev.ferry.cli;

import dev.ferry.local.DemoEnvironment;
import dev.ferry.local.SampleData;
import dev.ferry.runtime.Console;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", description = "Migrate a sample database between two throwaway PostgreSQL servers through a local S3 server, then clean up.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--scale", description = "Size of the sample shop; each unit adds " + SampleData.ROWS_PER_SCALE + " rows (default: ${DEFAULT-VALUE}).")
    int scale = SampleData.DEMO_SCALE;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        RunOptions options = common.runOptions(Map.of(), null, null, false, null);
        Console console = options.console();
        try (DemoEnvironment demo = DemoEnvironment.start(scale, console::line)) {
            int exit = report.publish(new MigrationRunner(options).run(demo.migrationFile()), console);
            console.line("Cleaning up the demo's servers and files.");
            return exit;
        }
    }
}
