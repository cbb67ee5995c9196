package dev.ferry.cli;

import dev.ferry.runtime.Console;
import dev.ferry.runtime.ReportWriter;
import dev.ferry.runtime.RunReport;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a run's report goes besides the summary on screen. */
final class ReportOptions {

    @Option(names = "--report", paramLabel = "PATH", description = "Write the report as JSON to PATH.")
    Path json;

    @Option(names = "--junit", paramLabel = "PATH", description = "Write the report as JUnit XML to PATH (one test case per step).")
    Path junit;

    int publish(RunReport report, Console console) {
        console.line(ReportWriter.summary(report));
        if (json != null) {
            ReportWriter.writeJson(report, json);
        }
        if (junit != null) {
            ReportWriter.writeJunit(report, junit);
        }
        if (report.passed()) {
            return FerryCli.DONE;
        }
        return report.error() != null && report.error().code() != null
                && dev.ferry.ErrorCode.valueOf(report.error().code()).exitCode() == FerryCli.BAD_INPUT
                ? FerryCli.BAD_INPUT : FerryCli.STEP_FAILED;
    }
}
