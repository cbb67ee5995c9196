package dev.ferry;

/** Stable codes for the failures Ferry reports; scripts may match on them. */
public enum ErrorCode {
    BAD_INPUT(2),
    MISSING_INPUT(2),
    CREDENTIALS(1),
    CONNECTION(1),
    TOOL_MISSING(1),
    VERSION_MISMATCH(1),
    TARGET_NOT_EMPTY(1),
    CHILD_PROCESS(1),
    STORAGE(1),
    MANIFEST_MISSING(1),
    CHECKSUM_MISMATCH(1),
    SMOKE_TEST_MISMATCH(1),
    STEP_CONTRACT(1),
    ARCHIVING(1),
    REPOSITORY(1),
    RESTORE_FAILED(1),
    EVEREST(1),
    IMPORT_FAILED(1),
    /** Another run of the same migration holds its lock (state folder or object store). */
    RUN_LOCKED(2),
    /** A cutover would start outside its window, or its estimate ends past it: refused before anything connects. */
    OUTSIDE_WINDOW(2),
    /** The window ended before the switch (the point of no return): the freeze is released instead. */
    WINDOW_ENDED(1),
    /** The source's writes could not be frozen or released. */
    FREEZE(1),
    CHANGE_CAPTURE(1),
    /** The application could not be switched to the target. */
    SWITCH_FAILED(1),
    /** Asked to do what is already done (resume a finished run): nothing changed. */
    NOTHING_TO_DO(0),
    INTERNAL(1);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
