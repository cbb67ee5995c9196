package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes a {@link RunReport} as JSON, as JUnit XML, and as the readable summary. */
public final class ReportWriter {

    private ReportWriter() {
    }

    public static void writeJson(RunReport report, Path file) {
        try {
            write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    public static void writeJunit(RunReport report, Path file) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failures = report.steps().stream().filter(s -> s.status == StepRecord.Status.FAILED).count();
        long skipped = report.steps().stream().filter(s -> s.status == StepRecord.Status.SKIPPED).count();
        xml.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                escape("ferry." + report.migration()), report.steps().size(), failures, skipped, report.durationMs() / 1000.0));
        for (StepRecord step : report.steps()) {
            xml.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">",
                    escape(report.pipeline()), escape(step.id), step.durationMs / 1000.0));
            if (step.status == StepRecord.Status.FAILED && step.error != null) {
                xml.append("\n    <failure type=\"").append(escape(step.error.code())).append("\" message=\"")
                        .append(escape(step.error.what())).append("\">")
                        .append(escape(step.error.why() == null ? "" : step.error.why()))
                        .append("</failure>\n  ");
            } else if (step.status == StepRecord.Status.SKIPPED || step.status == StepRecord.Status.PENDING) {
                xml.append("<skipped/>");
            }
            xml.append("</testcase>\n");
        }
        xml.append("</testsuite>\n");
        write(file, xml.toString());
    }

    public static String summary(RunReport report) {
        StringBuilder text = new StringBuilder();
        text.append("\nMigration '").append(report.migration()).append("' (pipeline ").append(report.pipeline())
                .append(", run ").append(report.runId()).append("): ").append(report.status().toUpperCase(Locale.ROOT))
                .append(" in ").append(StepSummary.duration(report.durationMs())).append('\n');
        for (StepRecord step : report.steps()) {
            text.append("  ").append(StepSummary.line(step).replace("\n", "\n  ")).append('\n');
            for (String note : step.notes) {
                text.append("      - ").append(note).append('\n');
            }
        }
        if (report.artifact() != null) {
            text.append("  artifact: ").append(report.artifact()).append('\n');
        }
        if (report.writeDowntimeMs() != null) {
            text.append("  write downtime: ").append(StepSummary.duration(report.writeDowntimeMs())).append('\n');
        }
        if (!report.differences().isEmpty()) {
            text.append("  differences between source and target:\n");
            report.differences().forEach(d -> text.append("    - ").append(d).append('\n'));
        }
        if (report.error() != null && report.error().next() != null) {
            text.append("  next: ").append(report.error().next()).append('\n');
            if (resumable(report)) {
                text.append("  resume with: ferry resume ").append(report.runId()).append('\n');
            }
        }
        text.append("  journal: ").append(report.journal()).append('\n');
        return Redactor.redact(text.toString());
    }

    /**
     * Whether resuming can help: a step after collecting credentials passed (so something connected
     * and was done), and the failure is not bad input, which a resume would meet again.
     */
    static boolean resumable(RunReport report) {
        boolean badInput = report.error() != null && report.error().code() != null
                && dev.ferry.ErrorCode.valueOf(report.error().code()).exitCode() == 2;
        boolean progressed = report.steps().stream().anyMatch(s -> !"collect-credentials".equals(s.id)
                && (s.status == StepRecord.Status.PASSED || s.status == StepRecord.Status.RESTORED));
        return !badInput && progressed;
    }

    private static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, Redactor.redact(content), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    private static FerryException cannotWrite(Path file, IOException e) {
        return new FerryException(ErrorCode.INTERNAL, "report", "Cannot write the report " + file, e.getMessage(),
                "Check the path given to --report");
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
