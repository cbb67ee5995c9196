package dev.ferry.steps;

/** What a smoke test compared (variable {@code ferry.smoke}); a run with differences fails instead. */
public record SmokeResult(int tables, long rows, int sequences, int objects, int checks, boolean checksums) {
}
