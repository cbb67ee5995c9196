package dev.ferry.everest.importer;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.ServerVersionText;
import dev.ferry.engine.VersionPolicy;
import dev.ferry.restore.ArtifactRestore;
import dev.ferry.restore.RestoreContext;
import dev.ferry.runtime.ProgressHandle;
import dev.ferry.smoke.SnapshotFigures;
import dev.ferry.smoke.Verification;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Ferry as an Everest DataImporter: {@code ferry importer /payload/request.json}. Restores a Ferry
 * artifact (the request's {@code source.path} is an artifact folder holding {@code manifest.json})
 * into the new cluster through {@link ArtifactRestore}, the same code as {@code ferry:restore}: every
 * object's SHA-256 is verified while it streams and unverified bytes never commit. Checks first that
 * the artifact's engine and version fit the target, and afterwards compares the restored database
 * with the snapshot figures the manifest records (every table's rows and content, counters and
 * every object class), refusing before the restore an artifact without them. Progress goes to the log and to the annotation {@code ferry.dev/progress} of its
 * DataImportJob ({@link JobProgress}). Exit 0 on success; otherwise the last log line says what
 * failed. On SIGTERM the restore's children are killed and the importer exits 143 with a last line
 * saying it was stopped.
 * <p>
 * {@code config} (validated by Everest against the DataImporter's schema): {@code database} (the
 * target database; default the artifact's source database), {@code versionPolicy}
 * ({@code logical}), {@code jobs} (1), {@code checksums} (true: compare content checksums when
 * recorded), {@code timeoutMinutes} (1440).
 */
public final class FerryImporter {

    public static final String LAST_LINE_DONE = "ferry importer: done";
    public static final String LAST_LINE_FAILED = "ferry importer: FAILED";
    public static final int STOPPED = 143;

    private final PrintStream out;
    private final Map<String, String> environment;
    private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
    private final Object ending = new Object();
    private boolean finished;
    private boolean stopping;

    public FerryImporter(PrintStream out, Map<String, String> environment) {
        this.out = out;
        this.environment = environment;
    }

    /** Runs the import; returns the exit code. The last line printed says how it ended. */
    public int run(Path requestFile) {
        Thread hook = new Thread(this::stopped, "ferry-importer-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String summary = importData(requestFile);
            if (finish()) {
                log(LAST_LINE_DONE + ": " + summary);
            }
            return 0;
        } catch (FerryException e) {
            if (finish()) {
                runCleanups();
                log(LAST_LINE_FAILED + ": " + e.getMessage());
            }
            return e.code().exitCode();
        } catch (RuntimeException | IOException e) {
            if (finish()) {
                runCleanups();
                log(LAST_LINE_FAILED + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return 1;
        } finally {
            runCleanups();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it owns the exit
            }
        }
    }

    private String importData(Path requestFile) throws IOException {
        ImportRequest request = ImportRequest.read(requestFile);
        ImportRequest.Target target = request.target();
        log("ferry importer: cluster " + target.namespace() + "/" + target.clusterName() + " (" + target.type() + ") at "
                + target.host() + ":" + target.port() + ", artifact s3://" + request.s3().bucket() + "/" + request.path());
        JobProgress progress = JobProgress.find(target, environment, this::log);
        cleanups.push(progress);
        String engineName = switch (target.type()) {
            case "postgresql" -> "postgresql";
            case "pxc" -> "mysql";
            default -> throw new FerryException(ErrorCode.BAD_INPUT, ImportRequest.STEP,
                    "Ferry's importer cannot import into a " + target.type() + " cluster", "it restores PostgreSQL and MySQL artifacts",
                    "Use Everest's own importer for " + target.type());
        };
        Engine engine = Engines.forName(engineName, ImportRequest.STEP);
        S3Client client = S3ClientFactory.create(request.store(), ImportRequest.STEP);
        cleanups.push(client);
        ArtifactStore store = new ArtifactStore(client, request.store());
        ArtifactFolder folder = folder(request.path());
        Manifest manifest = store.readManifest(folder, ImportRequest.STEP);
        if (!engine.handles(manifest.engine())) {
            throw new FerryException(ErrorCode.VERSION_MISMATCH, ImportRequest.STEP,
                    "Artifact " + store.uri(folder) + " holds a " + manifest.engine() + " dump", "the target cluster is " + target.type(),
                    "Import it into a cluster of its engine, or point the import at another artifact");
        }
        Inventory snapshot = SnapshotFigures.read(manifest).orElseThrow(() -> new FerryException(ErrorCode.MANIFEST_MISSING,
                ImportRequest.STEP, "Artifact " + store.uri(folder) + " holds no snapshot figures",
                "it was written by a Ferry older than snapshot figures, so the import could not be verified",
                "Dump the source again with this Ferry and import that artifact"));
        String database = request.configText("database", manifest.source().database());
        DatabaseEndpoint endpoint = new DatabaseEndpoint(engine.name(), target.host(), target.port(), database, target.user(),
                target.password(), Map.of());

        progress.report("checking versions: artifact " + manifest.engine() + " " + manifest.serverVersion(), true);
        engine.ensureDatabase(endpoint, ImportRequest.STEP);
        ServerVersion server = engine.probeServer(endpoint, ImportRequest.STEP);
        ServerVersion source = ServerVersionText.parse(manifest.engine(), server.flavour(), manifest.serverVersion());
        VersionPolicy policy = VersionPolicy.fromSetting(request.configText("versionPolicy", "logical"), ImportRequest.STEP);
        policy.checkTarget(source, server, false, ImportRequest.STEP);

        long total = manifest.objects().stream().mapToLong(Manifest.StoredObject::uncompressedSize).sum();
        ImporterContext context = new ImporterContext(progress, total);
        ArtifactRestore.Options options = new ArtifactRestore.Options(false, Integer.parseInt(request.configText("jobs", "1")),
                Duration.ofMinutes(Long.parseLong(request.configText("timeoutMinutes", "1440"))), 8L << 20);
        progress.report("restoring " + manifest.objects().size() + " objects (" + total + " bytes) into " + endpoint.describe(), true);
        ArtifactRestore.Restored restored = ArtifactRestore.run(context, store, manifest, engine, endpoint, options);
        progress.report("restored " + restored.objects() + ": every object's SHA-256 matched its manifest", true);

        String compared = compare(snapshot, engine, endpoint, Boolean.parseBoolean(request.configText("checksums", "true")),
                Math.max(2, Integer.parseInt(request.configText("jobs", "1"))));
        progress.report("done: " + compared, true);
        return "restored " + store.uri(folder) + " into " + endpoint.describe() + "; " + compared;
    }

    private String compare(Inventory snapshot, Engine engine, DatabaseEndpoint endpoint, boolean checksums, int jobs) {
        Verification.Result result = Verification.againstSnapshot(snapshot, engine, endpoint, List.of(), checksums, jobs,
                ImportRequest.STEP);
        if (!result.equal()) {
            result.differences().forEach(d -> log("difference: " + d));
            throw new FerryException(ErrorCode.SMOKE_TEST_MISMATCH, ImportRequest.STEP,
                    "The restored database differs from the dump's snapshot figures in " + result.differences().size() + " place(s)",
                    String.join("; ", result.differences().subList(0, Math.min(5, result.differences().size()))),
                    "Do not use this cluster: find why (a damaged or edited artifact? an object the target could not create?)"
                            + " and import again");
        }
        log("not compared: " + String.join("; ", result.actual().notCompared()));
        return result.summary(checksums && snapshot.rowHash() != null) + ": all equal";
    }

    private static ArtifactFolder folder(String path) {
        String trimmed = path.replaceAll("^/+", "");
        String folder = trimmed.endsWith("/") ? trimmed : trimmed + "/";
        return ArtifactLayout.parse(folder).orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, ImportRequest.STEP,
                "source.path " + path + " is not a Ferry artifact folder", "expected <prefix>/<database>/<yyyyMMddTHHmmssZ>/",
                "Give the artifact folder from a Ferry run's report (the folder holding manifest.json)"));
    }

    /**
     * Claims the last line for the import's own end; false when SIGTERM came first (the failure the
     * killed restore causes is then not the news: the stop is, and the hook says so last).
     */
    private boolean finish() {
        synchronized (ending) {
            if (stopping) {
                return false;
            }
            finished = true;
            return true;
        }
    }

    /** On SIGTERM: kill the restore's children, say so last, exit non-zero. */
    private void stopped() {
        synchronized (ending) {
            if (finished) {
                return;
            }
            stopping = true;
        }
        runCleanups();
        log(LAST_LINE_FAILED + ": stopped by SIGTERM; the restore was killed and its transaction rolled back"
                + " (a MySQL import may have left a partial database)");
        out.flush();
        Runtime.getRuntime().halt(STOPPED);
    }

    private synchronized void runCleanups() {
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().close();
            } catch (Exception e) {
                log("clean-up failed: " + e.getMessage());
            }
        }
    }

    private void log(String line) {
        out.println(Redactor.redact(line));
        out.flush();
    }

    /** The restore as the importer runs it: notes to the log, progress to the log and the DataImportJob. */
    private final class ImporterContext implements RestoreContext {

        private final JobProgress progress;
        private final long total;
        private long done;

        ImporterContext(JobProgress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        @Override
        public String stepId() {
            return ImportRequest.STEP;
        }

        @Override
        public void note(String note) {
            log(note);
        }

        @Override
        public synchronized void bytes(long bytes) {
            done += bytes;
            progress.report("restoring: " + done + " of " + total + " bytes (" + (total == 0 ? 100 : done * 100 / total) + "%)", false);
        }

        @Override
        public ProgressHandle progress(String label, long totalBytes) {
            return ProgressHandle.NONE;
        }

        @Override
        public synchronized void onEnd(AutoCloseable cleanup) {
            cleanups.push(cleanup);
        }

        @Override
        public Path workDirectory() {
            try {
                Path folder = Files.createTempDirectory("ferry-importer-");
                onEnd(() -> Files.deleteIfExists(folder));
                return folder;
            } catch (IOException e) {
                throw new FerryException(ErrorCode.STORAGE, ImportRequest.STEP, "Cannot create a spool folder", e.getMessage(),
                        "Set config.jobs to 1 to stream, or give the pod writable /tmp");
            }
        }
    }
}
