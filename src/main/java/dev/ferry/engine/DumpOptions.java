package dev.ferry.engine;

/** What to dump. {@code globals}: also dump roles and tablespaces (without passwords). */
public record DumpOptions(boolean globals) {
}
