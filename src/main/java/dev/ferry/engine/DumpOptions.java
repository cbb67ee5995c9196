package dev.ferry.engine;

import java.time.Duration;

/**
 * What to dump. {@code globals}: also dump roles and tablespaces (without passwords);
 * {@code lockTimeout}: how long a snapshot may wait for, and hold, a lock on the source (MySQL).
 */
public record DumpOptions(boolean globals, Duration lockTimeout) {

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public DumpOptions(boolean globals) {
        this(globals, DEFAULT_LOCK_TIMEOUT);
    }
}
