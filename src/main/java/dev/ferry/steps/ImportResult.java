package dev.ferry.steps;

import java.util.List;

/** What an import restored (variable {@code ferry.import}). */
public record ImportResult(String artifact, String target, List<String> objects, long bytes, boolean spooled) {
}
