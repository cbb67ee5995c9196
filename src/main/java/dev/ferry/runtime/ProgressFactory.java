package dev.ferry.runtime;

/** Makes progress displays; the console one draws bars, tests use {@link #NONE}. */
public interface ProgressFactory {

    /** @param totalBytes the expected total, or -1 when unknown (a dump's size is known only at its end) */
    ProgressHandle start(String label, long totalBytes);

    ProgressFactory NONE = (label, total) -> ProgressHandle.NONE;
}
