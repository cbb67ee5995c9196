package dev.ferry.runtime;

import java.util.Locale;

/** The one line a person reads per step, and the byte and time formatting the report shares. */
public final class StepSummary {

    private StepSummary() {
    }

    public static String line(StepRecord record) {
        String mark = switch (record.status) {
            case PASSED -> "ok     ";
            case FAILED -> "FAILED ";
            case SKIPPED -> "skipped";
            case RESTORED -> "done before (resumed)";
            default -> String.valueOf(record.status);
        };
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s %s", record.id, mark));
        if (record.status == StepRecord.Status.PASSED || record.status == StepRecord.Status.FAILED) {
            line.append(String.format(Locale.ROOT, " %8s", duration(record.durationMs)));
            if (record.bytes > 0) {
                line.append(String.format(Locale.ROOT, " %10s", bytes(record.bytes)));
                if (record.bytesPerSecond != null) {
                    line.append(String.format(Locale.ROOT, " %10s/s", bytes(record.bytesPerSecond.longValue())));
                }
            }
        }
        if (record.error != null) {
            line.append("\n    ").append(record.error.what());
            if (record.error.why() != null) {
                line.append(": ").append(record.error.why());
            }
            if (record.error.next() != null) {
                line.append("\n    next: ").append(record.error.next());
            }
        }
        return line.toString();
    }

    public static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, (millis / 1000) % 60);
    }

    public static String bytes(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
