package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Console;
import dev.ferry.runtime.FerryCamel;
import dev.ferry.runtime.PreparedMigration;
import dev.ferry.runtime.RunPlan;
import org.apache.camel.Route;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

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
        try (FerryCamel camel = FerryCamel.start(prepared.catalog(), prepared.migration(), null)) {
            Set<String> directConsumers = camel.context().getRoutes().stream().map(Route::getEndpoint)
                    .map(e -> e.getEndpointUri()).filter(u -> u.startsWith("direct:"))
                    .map(u -> u.replace("direct://", "direct:")).collect(Collectors.toSet());
            for (RunPlan.PlannedStep step : prepared.plan().steps()) {
                if (step.uri().startsWith("direct:") && !directConsumers.contains(step.uri().split("\\?")[0])) {
                    throw new FerryException(ErrorCode.BAD_INPUT, step.id(), "Step " + step.id() + " points at " + step.uri(),
                            "no route starts from that endpoint", "Add the route to the migration file or to routes/");
                }
            }
        }
        Console.system().line(prepared.migration().file().getFileName() + " is valid: pipeline " + prepared.pipeline().id()
                + ", " + prepared.plan().steps().size() + " steps, "
                + prepared.plan().steps().stream().filter(RunPlan.PlannedStep::replaced).count() + " replaced");
        return FerryCli.DONE;
    }
}
