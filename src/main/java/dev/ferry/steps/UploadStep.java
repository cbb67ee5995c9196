package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.SnapshotDump;
import dev.ferry.process.ChildProcess;
import dev.ferry.process.ToolTimeout;
import dev.ferry.restore.OverlappedRestore;
import dev.ferry.runtime.ProgressHandle;
import dev.ferry.runtime.Variables;
import dev.ferry.smoke.SnapshotFigures;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Compression;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.MultipartUploadStream;
import dev.ferry.storage.UploadedObject;
import dev.ferry.storage.WriterLease;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry:upload}: runs each dump command and streams its stdout through the compressor into
 * an S3 multipart upload (fixed-size parts, SHA-256 while streaming). A command that fails aborts
 * its upload. {@code manifest.json} is written last, so a folder without one is never importable;
 * it records the source's snapshot figures, read in the dump's own snapshot while the dump
 * streamed, which every import and {@code ferry verify} compare with. Sets {@code ferry.artifact}.
 */
public final class UploadStep implements FerryStep {

    public static final Setting COMPRESSION = Setting.choice("dump.compression", "zstd", "how the dump is compressed on its way to S3", "zstd", "gzip", "none");
    public static final Setting COMPRESSION_LEVEL = Setting.integer("dump.compressionLevel", "the compression level; the compression's own default (zstd 3) when unset");
    public static final Setting PART_SIZE_MB = Setting.integer("upload.partSizeMb", (int) (MultipartUploadStream.DEFAULT_PART_SIZE >> 20),
            "the size of one S3 multipart part, in MiB");

    public static final StepSpec SPEC = StepSpec.of("upload",
            "streams the dump into S3 (multipart, zstd, SHA-256 while streaming), writes manifest.json last",
            StepSpec.Contract.of(Set.of(Variables.DUMP, Variables.STORE), Set.of(Variables.ARTIFACT)), List.of(), List.of(COMPRESSION, COMPRESSION_LEVEL, PART_SIZE_MB, ToolTimeout.MINUTES));

    private static final int COPY_BUFFER = 256 * 1024;

    @Override
    public void execute(StepExecution execution) throws IOException {
        DumpJob job = execution.input(Variables.DUMP, DumpJob.class);
        ArtifactRef artifact = write(execution, job, Map.of(), true);
        execution.run().artifactUri(execution.stepId(), artifact.uri());
        execution.output(Variables.ARTIFACT, artifact);
    }

    /**
     * Streams {@code job} into a new artifact folder of its database under the writer lease, by this
     * step's settings, and writes its manifest last with {@code moreFigures} beside the snapshot's.
     * @param overlap whether a restore later in the run may read the dump as it streams ({@code import.overlap})
     */
    public static ArtifactRef write(StepExecution execution, DumpJob job, Map<String, Object> moreFigures, boolean overlap)
            throws IOException {
        String step = execution.stepId();
        ArtifactStore store = Stores.artifacts(execution);
        Compression compression = Compression.fromId(COMPRESSION.choice(execution.settings(), step), step);
        int level = execution.settings().getInt("dump.compressionLevel", compression.defaultLevel(), step);
        int partSize = PART_SIZE_MB.intValue(execution.settings(), step) << 20;
        Duration timeout = ToolTimeout.of(execution.settings(), step);
        execution.figure("compression", compression.id() + (compression == Compression.NONE ? "" : " level " + level));

        String runId = execution.run().runId();
        WriterLease lease = WriterLease.acquire(store.client(), store.settings(), job.source().database(), runId, step);
        execution.run().onEnd(lease);
        int aborted = store.abortUnfinishedUploads(job.source().database(), runId, step);
        if (aborted > 0) {
            execution.note(aborted + " unfinished multipart upload(s) an earlier attempt of this run left were aborted");
        }
        Instant createdAt = Instant.now();
        ArtifactFolder folder = store.newFolder(job.source().database(), createdAt, runId);
        OverlappedRestore restore = overlap ? ImportOverlap.begin(execution) : null;
        try {
            Manifest manifest = uploadAll(execution, job, store, folder, createdAt, compression, level, partSize, timeout, restore,
                    moreFigures);
            if (restore != null) {
                restore.complete();
            }
            return finish(execution, store, folder, manifest);
        } catch (IOException | RuntimeException e) {
            if (restore != null) {
                restore.abandon();
            }
            throw e;
        }
    }

    private static Manifest uploadAll(StepExecution execution, DumpJob job, ArtifactStore store, ArtifactFolder folder,
                                      Instant createdAt, Compression compression, int level, int partSize, Duration timeout,
                                      OverlappedRestore overlap, Map<String, Object> moreFigures) throws IOException {
        String step = execution.stepId();
        List<Manifest.StoredObject> objects = new ArrayList<>();
        long uncompressedTotal = 0;
        Engine engine = Engines.forName(job.source().engine(), step);
        for (DumpPart part : job.snapshot().parts()) {
            try {
                OverlappedRestore.Feed feed = overlap == null ? null : overlap.feed(part);
                Manifest.StoredObject stored = uploadPart(execution, store, folder, part, job.snapshot(), compression, level,
                        partSize, timeout, feed);
                if (overlap != null && feed == null) {
                    overlap.restoreStored(stored, compression);
                }
                objects.add(stored);
                uncompressedTotal += stored.uncompressedSize();
            } finally {
                engine.release(part.command());
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("uncompressedBytes", uncompressedTotal);
        Instant waitingForFigures = Instant.now();
        Inventory snapshotFigures = job.snapshot().figures(timeout);
        long waited = Duration.between(waitingForFigures, Instant.now()).toMillis();
        figures.put(SnapshotFigures.FIGURE, SnapshotFigures.figure(snapshotFigures));
        figures.putAll(job.snapshot().facts());
        figures.putAll(moreFigures);
        job.snapshot().facts().forEach(execution::figure);
        execution.figure("figuresWaitMillis", waited);
        job.snapshot().close();
        List<DumpPart> parts = job.snapshot().parts();
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, job.sourceVersion().flavour(), job.sourceVersion().full(),
                job.toolName(), job.toolVersion().full(), parts.get(parts.size() - 1).format(), compression.id(),
                createdAt, Instant.now(), new Manifest.Source(job.source().host(), job.source().port(), job.source().database()),
                objects, figures);
        store.writeManifest(folder, manifest);
        return manifest;
    }

    private static ArtifactRef finish(StepExecution execution, ArtifactStore store, ArtifactFolder folder, Manifest manifest) {
        List<Manifest.StoredObject> objects = manifest.objects();
        String uri = store.uri(folder);
        long stored = objects.stream().mapToLong(Manifest.StoredObject::size).sum();
        execution.figure("storedBytes", stored);
        execution.note("artifact " + uri + " (" + objects.size() + " objects, manifest written last)");
        return new ArtifactRef(uri, store.settings().bucket(), folder, manifest);
    }

    private static Manifest.StoredObject uploadPart(StepExecution execution, ArtifactStore store, ArtifactFolder folder,
                                                    DumpPart part, SnapshotDump snapshot, Compression compression, int level,
                                                    int partSize, Duration timeout, OverlappedRestore.Feed feed)
            throws IOException {
        String step = execution.stepId();
        String key = folder.objectKey(part.name() + compression.fileSuffix());
        long uncompressed = 0;
        MultipartUploadStream upload = store.upload(key, partSize, bytes -> { }, step);
        try (ChildProcess child = ChildProcess.start(part.command(), step);
             ProgressHandle progress = execution.run().progress("dump " + part.name(), -1)) {
            execution.run().onEnd(child);
            child.stdin().close();
            OutputStream compressed = compression.compress(new KeepOpen(upload), level);
            byte[] buffer = new byte[COPY_BUFFER];
            try (InputStream out = child.stdout()) {
                int n;
                while ((n = out.read(buffer)) >= 0) {
                    snapshot.streamed(part, buffer, n);
                    compressed.write(buffer, 0, n);
                    if (feed != null) {
                        feed.write(buffer, 0, n);
                    }
                    uncompressed += n;
                    progress.add(n);
                    execution.bytes(n);
                }
            }
            snapshot.ended(part);
            child.awaitSuccess(timeout, step);
            compressed.close();
            UploadedObject uploaded = upload.finish();
            if (feed != null) {
                feed.commit();
            }
            return new Manifest.StoredObject(part.name(), uploaded.key(), part.format(), uploaded.size(), uploaded.sha256(),
                    uncompressed);
        } catch (IOException | RuntimeException e) {
            if (feed != null) {
                feed.abort();
            }
            upload.abort();
            if (e instanceof FerryException) {
                throw e;
            }
            throw new FerryException(ErrorCode.STORAGE, step, "Streaming " + part.name() + " into " + key + " failed",
                    e.getMessage(), "Check the dump tool's output and the object store, then run again", e);
        }
    }

    /** Lets the compressor be closed (flushing its last frame) without completing the upload. */
    private static final class KeepOpen extends java.io.FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
