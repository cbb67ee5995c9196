package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Ferry's state folder: one sub-folder per run under {@code runs/}, private to the user. */
public final class StateDirectory {

    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final Path root;

    public StateDirectory(Path root) {
        this.root = root;
    }

    /** {@code $FERRY_STATE_DIR}, else {@code ~/.ferry}. */
    public static Path defaultRoot() {
        String fromEnv = System.getenv("FERRY_STATE_DIR");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".ferry");
    }

    public Path root() {
        return root;
    }

    public String newRunId() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return ZonedDateTime.now(ZoneOffset.UTC).format(RUN_TIME) + "-" + HexFormat.of().formatHex(random);
    }

    public Path runDirectory(String runId) {
        if (!runId.matches("[A-Za-z0-9._-]+")) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "'" + runId + "' is not a run id", null,
                    "List runs with 'ferry runs'");
        }
        return root.resolve("runs").resolve(runId);
    }

    public Path createRunDirectory(String runId) {
        Path directory = runDirectory(runId);
        try {
            Files.createDirectories(root);
            restrict(root);
            Files.createDirectories(directory);
            restrict(directory);
            return directory;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot create the state folder " + directory,
                    e.getMessage(), "Choose a writable folder with --state-dir");
        }
    }

    public Path existingRun(String runId) {
        Path directory = runDirectory(runId);
        if (!Files.isRegularFile(directory.resolve(RunJournal.FILE_NAME))) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "No run '" + runId + "' in " + root.resolve("runs"),
                    null, "List runs with 'ferry runs' (and give the same --state-dir as the run had)");
        }
        return directory;
    }

    /** The runs in the folder; an unreadable folder is an error (exit 2), not "no runs". */
    public List<String> runIds() {
        Path runs = root.resolve("runs");
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "The state folder " + root + " is not a folder",
                    "it is a file", "Give the folder the runs were made with (--state-dir or $FERRY_STATE_DIR)");
        }
        if (!Files.exists(runs)) {
            return List.of();
        }
        if (!Files.isDirectory(runs) || !Files.isReadable(runs) || !Files.isExecutable(runs)) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot read the runs in " + runs,
                    Files.isDirectory(runs) ? "the folder is not readable by this user" : "it is not a folder",
                    "Run as the user who made the runs, or fix the folder's permissions");
        }
        try (Stream<Path> entries = Files.list(runs)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve(RunJournal.FILE_NAME)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot list " + runs, e.getMessage(), "Check permissions");
        }
    }

    private static void restrict(Path directory) {
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: nothing finer to set
        }
    }
}
