package dev.ferry.cli;

import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.StateDirectory;
import dev.ferry.runtime.VerifyTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "verify", description = {
        "Compare a migrated target with its artifact's snapshot figures (what the dump holds), at any time.",
        "RUN: a run id (see 'ferry runs'); FILE: a migration file, with --set artifact=s3://bucket/folder/.",
        "Exit 0: equal; 1: differences, each named in the report; 2: bad input."})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN|FILE", description = "A run id, or a migration file.")
    String target;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a setting (for a file: artifact=...).")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--live", description = "Compare with the live source instead (stop its writes first).")
    boolean live;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Map<String, String> extra = new LinkedHashMap<>(sets);
        if (live) {
            extra.put("smoke.against", "live");
        }
        Path file = Path.of(target);
        VerifyTarget verify = Files.isRegularFile(file) ? new VerifyTarget(file, extra)
                : VerifyTarget.ofRun(new StateDirectory(common.stateDirectory()), target, extra);
        RunOptions options = common.runOptions(verify.sets(), VerifyTarget.STEP, VerifyTarget.STEP, false, null);
        return report.publish(new MigrationRunner(options).run(verify.migrationFile()), options.console());
    }
}
