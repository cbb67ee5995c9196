package dev.ferry.engine;

import dev.ferry.process.ChildCommand;

/**
 * How to restore one dump object: a command that reads the object's uncompressed bytes on stdin.
 * When {@code atomic} is true the command applies nothing until it has read its whole input
 * (a single transaction committed at end of input), so withholding the last bytes until the
 * checksum is verified keeps a corrupted object from touching the target.
 * {@code tolerated} lists stderr fragments that are expected and do not fail the restore.
 * {@code serverWide} is true for objects that apply to the server, not to the target database (roles):
 * a staging database does not hold them, so they are restored only from a verified, stored object.
 * {@code companion}, when not null, runs beside the command ({@link RestoreCompanion}).
 */
public record RestorePart(String format, ChildCommand command, boolean atomic, java.util.List<String> tolerated,
                          boolean serverWide, RestoreCompanion companion) {

    /** A part restored into the target database. */
    public RestorePart(String format, ChildCommand command, boolean atomic, java.util.List<String> tolerated) {
        this(format, command, atomic, tolerated, false, null);
    }

    public RestorePart(String format, ChildCommand command, boolean atomic, java.util.List<String> tolerated,
                       boolean serverWide) {
        this(format, command, atomic, tolerated, serverWide, null);
    }
}
