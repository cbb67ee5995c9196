package dev.ferry.cli;

import dev.ferry.runtime.Console;
import dev.ferry.runtime.FerryCamel;
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

@Command(name = "validate", description = "Check a migration file: its pipeline, settings, step contracts and that Camel loads every route.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    Map<String, String> sets = new LinkedHashMap<>();

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PreparedMigration prepared = PreparedMigration.prepare(file, common.home(), sets, null, null, Map.of());
        // the settings, step ids and step endpoints were checked by prepare; starting Camel checks every route loads
        try (FerryCamel ignored = FerryCamel.start(prepared.catalog(), prepared.migration(), null)) {
            Console.system().line(prepared.migration().file().getFileName() + " is valid: pipeline " + prepared.pipeline().id()
                    + ", " + prepared.plan().steps().size() + " steps, "
                    + prepared.plan().steps().stream().filter(RunPlan.PlannedStep::replaced).count() + " replaced");
        }
        return FerryCli.DONE;
    }
}
