package dev.ferry.engine;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to restore: {@code clean} drops objects that exist in the target first;
 * {@code jobs} above 1 restores in parallel from a local file (never from a stream), or, into a
 * staging database ({@code staged}: nobody sees it until it is complete and verified, so the tool may
 * commit as it goes), builds indexes and constraints with that many workers while the stream loads
 * (PostgreSQL) or loads the stream's INSERTs with that many client sessions (MySQL);
 * {@code scratch} is a private folder for what such a restore keeps on disk (the archive's table of contents);
 * {@code step} and {@code timeout} name the step and bound what runs beside the tool.
 */
public record RestoreOptions(boolean clean, int jobs, Path localFile, boolean staged, Path scratch, String step,
                             Duration timeout) {

    public RestoreOptions(boolean clean, int jobs, Path localFile) {
        this(clean, jobs, localFile, false, null, null, null);
    }

    /** A stream into a staging database, with {@code jobs} workers beside it. */
    public static RestoreOptions staged(int jobs, Path scratch, String step, Duration timeout) {
        return new RestoreOptions(false, jobs, null, true, scratch, step, timeout);
    }
}
