package dev.ferry.engine;

/**
 * How to restore: {@code clean} drops objects that exist in the target first;
 * {@code jobs} above 1 restores in parallel from a local file (never from a stream).
 */
public record RestoreOptions(boolean clean, int jobs, java.nio.file.Path localFile) {
}
