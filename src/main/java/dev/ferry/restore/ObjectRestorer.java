package dev.ferry.restore;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.RestoreCompanion;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildProcess;
import dev.ferry.runtime.ProgressHandle;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ChecksumVerifyingInputStream;
import dev.ferry.storage.Compression;
import dev.ferry.storage.HoldbackOutputStream;
import dev.ferry.storage.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/** Moves one artifact object from S3 into a restore tool, never letting unverified bytes commit. */
final class ObjectRestorer {

    private static final int COPY_BUFFER = 256 * 1024;
    private static final String SPOOL_PREFIX = "spool-";

    private final RestoreContext execution;
    private final ArtifactStore store;
    private final Compression compression;
    private final Duration timeout;
    private final Runnable undo;
    private final long verifyFirstBytes;

    /**
     * @param undo             undoes what a non-atomic tool applied before a failure was found
     * @param verifyFirstBytes objects up to this size, for a tool that applies as it reads, are verified
     *                         in memory before the tool sees a byte
     */
    ObjectRestorer(RestoreContext execution, ArtifactStore store, Compression compression, Duration timeout, Runnable undo,
                   long verifyFirstBytes) {
        this.undo = undo;
        this.verifyFirstBytes = verifyFirstBytes;
        this.execution = execution;
        this.store = store;
        this.compression = compression;
        this.timeout = timeout;
    }

    /**
     * Streams the object into the tool. For an atomic tool (one transaction committed at end of
     * input) the last bytes are withheld until the checksum is verified, so a damaged object never
     * commits. A small object for a tool that applies as it reads is verified in full first; a
     * large one streams, and when it turns out damaged (or the tool fails) the import is undone.
     */
    void stream(Manifest.StoredObject object, RestorePart part) throws IOException {
        if (!part.atomic() && part.companion() == null && object.uncompressedSize() <= verifyFirstBytes) {
            runFromVerifiedBytes(part, object);
            return;
        }
        RestoreCompanion companion = part.companion();
        try {
            streamInto(object, part, companion);
        } catch (IOException | RuntimeException e) {
            if (companion != null) {
                companion.abort();
            }
            throw e;
        }
    }

    private void streamInto(Manifest.StoredObject object, RestorePart part, RestoreCompanion companion) throws IOException {
        String step = execution.stepId();
        try (ChildProcess child = ChildProcess.start(part.command(), step, companion == null ? null : companion::stderrLine);
             ChecksumVerifyingInputStream stored = store.openVerified(object, step);
             ProgressHandle progress = execution.progress("restore " + object.name(), object.uncompressedSize())) {
            execution.onEnd(child);
            HoldbackOutputStream input = new HoldbackOutputStream(companion == null ? child.stdin() : companion.input(child));
            IOException copyFailure = copy(compression.decompress(stored), input, progress, companion);
            try {
                stored.verify(object.sha256(), object.size(), step, object.key());
            } catch (FerryException mismatch) {
                child.kill();
                input.discard();
                if (!part.atomic()) {
                    undoAfter(mismatch);
                }
                throw mismatch;
            }
            if (copyFailure != null) {
                child.await(timeout, step);
                FerryException stopped = new FerryException(ErrorCode.CHILD_PROCESS, step, part.command().program() + " stopped reading " + object.name(),
                        child.stderrTail().isEmpty() ? copyFailure.getMessage() : child.stderrTail(),
                        part.atomic() ? "Fix the cause above; the target's transaction was rolled back, so resume the run"
                                : "Fix the cause above and resume the run");
                if (!part.atomic()) {
                    undoAfter(stopped);
                }
                throw stopped;
            }
            input.release();
            child.awaitSuccess(timeout, step);
            reportTolerated(execution, part, child);
            if (companion != null) {
                companion.finish(timeout);
                execution.note(companion.summary());
            }
        }
    }

    /** Undoes a partial import after {@code cause}; a failure of the undo (the target gone, say) is noted, never put in cause's place. */
    private void undoAfter(FerryException cause) {
        try {
            undo.run();
        } catch (RuntimeException undoFailed) {
            cause.addSuppressed(undoFailed);
            execution.note("could not undo the partial import (" + undoFailed.getMessage() + ")");
        }
    }

    /** Downloads, verifies and keeps the object in a private file under the run folder (deleted when the run ends). */
    Path spool(Manifest.StoredObject object, Path runDirectory) throws IOException {
        String step = execution.stepId();
        Path file = runDirectory.resolve(SPOOL_PREFIX + object.name());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        execution.onEnd(() -> Files.deleteIfExists(file));
        try (ChecksumVerifyingInputStream stored = store.openVerified(object, step);
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING);
             ProgressHandle progress = execution.progress("spool " + object.name(), object.uncompressedSize())) {
            IOException failure = copy(compression.decompress(stored), out, progress, null);
            if (failure != null) {
                stored.verify(object.sha256(), object.size(), step, object.key());
                throw new FerryException(ErrorCode.STORAGE, step, "Could not spool " + object.name() + " to " + file,
                        failure.getMessage(), "Check free disk space in the state folder");
            }
            stored.verify(object.sha256(), object.size(), step, object.key());
        }
        return file;
    }

    /**
     * Deletes the spool files an earlier attempt left in the run's folder (Ferry killed mid-import,
     * say): spooled dumps, and what an engine's restore kept beside its tool (named alike).
     */
    static void removeSpoolFiles(RestoreContext context) throws IOException {
        Path folder = context.workDirectory();
        if (folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(SPOOL_PREFIX)).toList()) {
                Files.deleteIfExists(file);
                context.note("removed " + file.getFileName() + " that an earlier attempt left");
            }
        }
    }

    void deleteSpool(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /** Runs a tool that reads the verified local file itself (a parallel restore). */
    void runFromFile(RestorePart part, Manifest.StoredObject object) {
        String step = execution.stepId();
        try (ChildProcess child = ChildProcess.start(part.command(), step)) {
            execution.onEnd(child);
            closeQuietly(child.stdin());
            child.awaitSuccess(timeout, step);
            reportTolerated(execution, part, child);
        }
    }

    private void runFromVerifiedBytes(RestorePart part, Manifest.StoredObject object) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream((int) object.uncompressedSize());
        try (ChecksumVerifyingInputStream stored = store.openVerified(object, execution.stepId())) {
            IOException failure = copy(compression.decompress(stored), bytes, ProgressHandle.NONE, null);
            stored.verify(object.sha256(), object.size(), execution.stepId(), object.key());
            if (failure != null) {
                throw failure;
            }
        }
        feed(part, object, new java.io.ByteArrayInputStream(bytes.toByteArray()));
    }

    /** Runs the tool on bytes already verified. */
    private void feed(RestorePart part, Manifest.StoredObject object, InputStream verified) {
        String step = execution.stepId();
        try (ChildProcess child = ChildProcess.start(part.command(), step)) {
            execution.onEnd(child);
            try (OutputStream stdin = child.stdin()) {
                verified.transferTo(stdin);
            } catch (IOException e) {
                child.await(timeout, step);
                throw new FerryException(ErrorCode.CHILD_PROCESS, step, part.command().program() + " stopped reading " + object.name(),
                        child.stderrTail().isEmpty() ? e.getMessage() : child.stderrTail(), "Fix the cause above and resume the run");
            }
            child.awaitSuccess(timeout, step);
            reportTolerated(execution, part, child);
        }
    }

    /** Notes the tool's error lines that were expected (roles that exist already) or not. */
    static void reportTolerated(RestoreContext execution, RestorePart part, ChildProcess child) {
        String stderr = child.stderrTail();
        if (stderr.isEmpty()) {
            return;
        }
        long tolerated = stderr.lines().filter(l -> part.tolerated().stream().anyMatch(l::contains)).count();
        List<String> others = stderr.lines().filter(l -> l.contains("ERROR") && part.tolerated().stream().noneMatch(l::contains))
                .toList();
        if (tolerated > 0) {
            execution.note(part.command().program() + ": " + tolerated + " expected message(s) ignored (" + part.tolerated() + ")");
        }
        others.forEach(line -> execution.note("warning from " + part.command().program() + ": " + line));
    }

    /**
     * Copies until the end of input, showing each chunk to the companion first; returns the write
     * failure (the tool stopped reading), if any.
     */
    private IOException copy(InputStream in, OutputStream out, ProgressHandle progress, RestoreCompanion companion)
            throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                if (companion != null) {
                    companion.bytes(buffer, 0, n);
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException writeFailure) {
                    return writeFailure;
                }
                progress.add(n);
                execution.bytes(n);
            }
        } catch (IOException readFailure) {
            return readFailure;
        }
        return null;
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the child does not read stdin
        }
    }
}
