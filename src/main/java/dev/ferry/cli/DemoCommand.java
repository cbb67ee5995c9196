package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
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

@Command(name = "demo", description = "Migrate a sample database between two throwaway PostgreSQL (or MariaDB) servers through a local S3 server, then clean up.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--engine", description = "postgresql (default) or mysql (MariaDB servers, the mysql-logical pipeline).")
    String engine = "postgresql";

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
        DemoEnvironment.DemoEngine demoEngine = switch (engine.toLowerCase(java.util.Locale.ROOT)) {
            case "postgresql", "postgres", "pg" -> DemoEnvironment.DemoEngine.POSTGRESQL;
            case "mysql", "mariadb" -> DemoEnvironment.DemoEngine.MYSQL;
            default -> throw new FerryException(ErrorCode.BAD_INPUT, "demo", "Unknown demo engine '" + engine + "'", null,
                    "Use --engine postgresql or --engine mysql");
        };
        try (DemoEnvironment demo = DemoEnvironment.start(demoEngine, scale, console::line)) {
            int exit = report.publish(new MigrationRunner(options).run(demo.migrationFile()), console);
            console.line("Cleaning up the demo's servers and files.");
            return exit;
        }
    }
}
