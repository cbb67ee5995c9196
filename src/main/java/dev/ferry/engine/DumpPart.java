package dev.ferry.engine;

import dev.ferry.process.ChildCommand;

/**
 * One object of a dump: a command whose stdout is the object's bytes, uncompressed.
 * {@code name} is the object's file name in the artifact (for example {@code database.dump}),
 * {@code format} says what a restore must do with it (for example {@code pg_dump-custom}).
 */
public record DumpPart(String name, String format, ChildCommand command) {
}
