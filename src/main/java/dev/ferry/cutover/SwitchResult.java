package dev.ferry.cutover;

import java.time.Instant;

/**
 * What a cutover's switch step pointed at the target (output {@code ferry.switch}): {@code kind}
 * {@code kubernetes}, {@code command}, or {@code none} when nothing was switched (a rehearsal).
 */
public record SwitchResult(String kind, String what, Instant at) {

    public static final String NONE = "none";

    public boolean switched() {
        return !NONE.equals(kind);
    }
}
