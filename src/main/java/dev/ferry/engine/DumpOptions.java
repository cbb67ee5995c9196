package dev.ferry.engine;

import java.time.Duration;

/**
 * What to dump. {@code globals}: also dump roles and tablespaces (without passwords);
 * {@code lockTimeout}: how long a snapshot may wait for, and hold, a lock on the source (MySQL);
 * {@code snapshot}: a snapshot exported elsewhere (an online cutover's replication slot) that the dump
 * and the figures read instead of one of their own, or null.
 */
public record DumpOptions(boolean globals, Duration lockTimeout, String snapshot) {

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(60);

    public DumpOptions(boolean globals, Duration lockTimeout) {
        this(globals, lockTimeout, null);
    }

    public DumpOptions(boolean globals) {
        this(globals, DEFAULT_LOCK_TIMEOUT);
    }
}
