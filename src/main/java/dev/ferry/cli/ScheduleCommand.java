package dev.ferry.cli;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.PreparedMigration;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.RunReport;
import dev.ferry.schedule.CronSchedule;
import dev.ferry.schedule.MigrationScheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code ferry schedule FILE...}: runs until stopped, starting each migration at its {@code schedule.cron}. */
@Command(name = "schedule", description = "Run migrations at their schedule.cron times (UTC unless schedule.timeZone) until stopped.")
final class ScheduleCommand implements Callable<Integer> {

    static final String STEP = "schedule";

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Migration files (*.camel.yaml) with schedule.cron.")
    List<Path> files;

    @Option(names = "--cron", paramLabel = "EXPR", description = "A schedule for every FILE instead of their schedule.cron.")
    String cron;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting of every migration (not secrets).")
    Map<String, String> sets = new java.util.LinkedHashMap<>();

    @Option(names = "--rehearsal", description = "Start rehearsals (cutover pipelines): scratch target, no freeze, no switch.")
    boolean rehearsal;

    @Option(names = "--runs", paramLabel = "N", description = "Stop once N runs have ended (default: run until stopped).")
    int maxRuns;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        List<MigrationScheduler.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            PreparedMigration prepared = PreparedMigration.prepare(file, common.home(), sets, null, null, Map.of(), rehearsal);
            String name = prepared.migration().name();
            if (!names.add(name)) {
                throw new FerryException(ErrorCode.BAD_INPUT, STEP, "Two files schedule the migration '" + name + "'", null,
                        "Give each migration its own routeId");
            }
            String expression = cron != null ? cron : prepared.settings().find("schedule.cron").orElseThrow(() ->
                    new FerryException(ErrorCode.BAD_INPUT, STEP, file.getFileName() + " sets no schedule.cron",
                            "ferry schedule starts each migration at its schedule.cron",
                            "Add schedule.cron (for example '30 2 * * SAT') to its parameters, or give --cron"));
            String zone = prepared.settings().get("schedule.timeZone", "UTC");
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new FerryException(ErrorCode.BAD_INPUT, STEP, "schedule.timeZone '" + zone + "' is not a time zone",
                        e.getMessage(), "Give a zone id such as UTC or Europe/Berlin");
            }
            entries.add(new MigrationScheduler.Entry(file, name, CronSchedule.toQuartz(expression, STEP), zone));
        }
        RunOptions base = common.runOptions(Map.of(), null, null, false, null);
        RunOptions options = new RunOptions(base.home(), base.stateDirectory(), sets, null, null, false, null, null,
                base.console(), rehearsal);
        try (MigrationScheduler scheduler = new MigrationScheduler(options.console(), maxRuns)) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(main::interrupt));
            scheduler.start(entries, file -> {
                RunReport report = new MigrationRunner(options).run(file);
                return new MigrationScheduler.Outcome(report.runId(), report.status(), report.passed() ? FerryCli.DONE
                        : FerryCli.STEP_FAILED);
            });
            try {
                scheduler.await();
            } catch (InterruptedException stopped) {
                options.console().line("schedule: stopped");
            }
        }
        return FerryCli.DONE;
    }
}
