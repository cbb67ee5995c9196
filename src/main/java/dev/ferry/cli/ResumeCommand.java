package dev.ferry.cli;

import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "resume", description = "Continue a run at its first step not done; credentials are collected again.")
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'ferry runs').")
    String runId;

    @Option(names = "--accept-changed-file", description = "Resume although the migration file changed since the run started.")
    boolean acceptChangedFile;

    @Mixin
    ReportOptions report;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        RunOptions options = common.runOptions(Map.of(), null, null, false, runId);
        return report.publish(new MigrationRunner(options).resume(runId, acceptChangedFile), options.console());
    }
}
