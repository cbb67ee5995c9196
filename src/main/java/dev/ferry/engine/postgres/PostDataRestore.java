package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.RestoreCompanion;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The post-data half of a staged PostgreSQL restore, run beside the pg_restore that loads the
 * schema and the data from the stream. It reads the archive's table of contents from the first
 * bytes ({@link ArchiveToc}), keeps just that head in a private file (pg_restore builds an entry
 * from it without the data), follows the loading tool's verbose lines to learn when each table's
 * data is in, and has {@code workers} pg_restore runs build each table's indexes and constraints
 * then ({@link PostDataPlan}), while the next tables load. Entries of small tables go several to a
 * run. The rest of post-data runs in archive order once everything is in.
 */
final class PostDataRestore implements RestoreCompanion {

    private static final String DATA_LINE = "pg_restore: processing data for table \"";
    private static final int MAX_HEAD_BYTES = 64 * 1024 * 1024;
    /** Kept of a stream whose table of contents this reader cannot read, for one serial post-data run on it. */
    private static final int MAX_FALLBACK_BYTES = 16 * 1024 * 1024;
    private static final long SMALL_TABLE_BYTES = 16L * 1024 * 1024;
    private static final int MAX_BATCH = 100;
    private static final String FILE_PREFIX = "spool-toc-";
    private static final AtomicInteger FILES = new AtomicInteger();

    private final PostgresPrograms programs;
    private final DatabaseEndpoint staging;
    private final int workers;
    private final Path scratch;
    private final String step;
    private final Duration timeout;

    private byte[] head = new byte[64 * 1024];
    private int headLength;
    private int parseAt;
    private volatile long streamed;
    private volatile PostDataPlan plan;
    private Path headFile;
    /** Why the table of contents could not be read; then post-data runs serially after the data. */
    private volatile String unreadableWhy;

    private final List<String> earlyEvents = new ArrayList<>();
    private final Set<Integer> dataDone = new HashSet<>();
    private final Map<Integer, Long> dataBytes = new HashMap<>();
    /** The tool has begun loading data: every table exists. */
    private boolean preDataIn;
    private Integer loading;
    private long loadingFrom;
    private boolean allData;
    private final LinkedList<PostDataPlan.Item> pending = new LinkedList<>();
    private final Set<Integer> built = new HashSet<>();
    private final List<Batch> running = new ArrayList<>();
    private final Set<ChildProcess> children = new HashSet<>();
    private FerryException failure;
    private boolean aborted;
    private int builtBeforeDataEnd;
    private int runs;
    private long dataEndNanos;
    private long postDataMillis;

    /** Reads a table of contents from the head of a stream: null while incomplete. */
    interface TocReader {
        ArchiveToc read(byte[] bytes, int length) throws ArchiveToc.UnreadableToc;
    }

    private final TocReader reader;

    PostDataRestore(PostgresPrograms programs, DatabaseEndpoint staging, int workers, Path scratch, String step, Duration timeout) {
        this(programs, staging, workers, scratch, step, timeout, ArchiveToc::read);
    }

    PostDataRestore(PostgresPrograms programs, DatabaseEndpoint staging, int workers, Path scratch, String step, Duration timeout,
                    TocReader reader) {
        this.reader = reader;
        this.programs = programs;
        this.staging = staging;
        this.workers = workers;
        this.scratch = scratch;
        this.step = step;
        this.timeout = timeout;
    }

    @Override
    public void bytes(byte[] buffer, int offset, int length) {
        FerryException failed = failure();
        if (failed != null) {
            throw failed;
        }
        streamed += length;
        if (plan != null) {
            return;
        }
        int limit = unreadableWhy == null ? MAX_HEAD_BYTES : MAX_FALLBACK_BYTES;
        int kept = Math.min(length, limit - headLength);
        if (kept <= 0) {
            if (unreadableWhy == null) {
                throw fail(unreadable("its table of contents is larger than " + MAX_HEAD_BYTES / (1024 * 1024) + " MB"));
            }
            return;
        }
        if (headLength + kept > head.length) {
            head = Arrays.copyOf(head, Math.min(limit, Math.max(head.length * 2, headLength + kept)));
        }
        System.arraycopy(buffer, offset, head, headLength, kept);
        headLength += kept;
        if (unreadableWhy == null && headLength >= parseAt) {
            tryToPlan();
        }
    }

    private void tryToPlan() {
        ArchiveToc toc;
        try {
            toc = reader.read(head, headLength);
        } catch (ArchiveToc.UnreadableToc e) {
            // pg_restore may still know this archive: its post-data then runs in one run after the data
            unreadableWhy = e.getMessage();
            return;
        }
        if (toc == null) {
            // reading again only once the head has doubled keeps a huge table of contents linear
            parseAt = headLength * 2;
            return;
        }
        start(toc);
    }

    /** Writes the first {@code length} bytes of the stream to a private file, for pg_restore to read the entries from. */
    private void keepHead(int length) {
        try {
            Files.createDirectories(scratch);
            headFile = scratch.resolve(FILE_PREFIX + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".dump");
            Files.deleteIfExists(headFile);
            Files.createFile(headFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newOutputStream(headFile)) {
                out.write(head, 0, length);
            }
        } catch (IOException e) {
            throw fail(new FerryException(ErrorCode.STORAGE, step, "Could not keep the dump's table of contents in " + scratch,
                    e.getMessage(), "Check free disk space and permissions of the state folder"));
        }
    }

    private void start(ArchiveToc toc) {
        keepHead(toc.headLength());
        head = null;
        PostDataPlan planned = PostDataPlan.of(toc);
        synchronized (this) {
            pending.addAll(planned.early());
            plan = planned;
            earlyEvents.forEach(this::tableStarted);
            earlyEvents.clear();
        }
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, "post-data-" + i);
            worker.setDaemon(true);
            worker.start();
        }
    }

    @Override
    public boolean stderrLine(String line) {
        if (line.startsWith(DATA_LINE) && line.endsWith("\"")) {
            String table = line.substring(DATA_LINE.length(), line.length() - 1);
            synchronized (this) {
                if (plan == null) {
                    earlyEvents.add(table);
                } else {
                    tableStarted(table);
                }
            }
            return true;
        }
        return line.startsWith("pg_restore: ") && !line.startsWith("pg_restore: error")
                && !line.startsWith("pg_restore: warning") && !line.startsWith("pg_restore: detail")
                && !line.startsWith("pg_restore: hint") && !line.contains("from TOC entry");
    }

    /** The tool began loading {@code table}: the table before it is in, committed. */
    private void tableStarted(String table) {
        preDataIn = true;
        tableLoaded();
        loading = plan.tableData(table);
        loadingFrom = streamed;
        notifyAll();
    }

    private void tableLoaded() {
        if (loading != null) {
            dataDone.add(loading);
            dataBytes.put(loading, streamed - loadingFrom);
            loading = null;
        }
    }

    @Override
    public void finish(Duration limit) {
        if (plan == null && head != null && unreadableWhy == null) {
            tryToPlan();
        }
        if (plan == null && unreadableWhy == null) {
            throw fail(unreadable("the stream ended before its table of contents did"));
        }
        if (plan == null) {
            finishSerially();
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            tableLoaded();
            allData = true;
            dataEndNanos = System.nanoTime();
            notifyAll();
            while (failure == null && !(pending.isEmpty() && running.isEmpty())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    failure = new FerryException(ErrorCode.IMPORT_FAILED, step, "Building the indexes and constraints of the staging database "
                            + staging.database() + " did not finish within " + limit.toSeconds() + " s",
                            pending.size() + " entries still waiting, " + running.size() + " running",
                            "Raise import.timeoutSeconds, or look for a lock held on the staging database");
                    break;
                }
                waitQuietly(Math.max(1, left / 1_000_000));
            }
            if (failure != null) {
                FerryException failed = failure;
                abort();
                throw failed;
            }
        }
        endWith(plan.late().isEmpty() ? null : new Batch(plan.late(), Set.of(), false));
    }

    private void finishSerially() {
        dataEndNanos = System.nanoTime();
        try {
            keepHead(headLength);
        } catch (FerryException e) {
            abort();
            throw e;
        }
        head = null;
        endWith(new Batch(List.of(), Set.of(), false));
    }

    /** Runs what comes after everything else (if anything), on this thread, and ends the restore. */
    private void endWith(Batch last) {
        if (last != null) {
            runBatch(last);
        }
        FerryException failed = failure();
        if (failed != null) {
            abort();
            throw failed;
        }
        postDataMillis = (System.nanoTime() - dataEndNanos) / 1_000_000;
        deleteFiles();
    }

    @Override
    public void abort() {
        synchronized (this) {
            aborted = true;
            children.forEach(ChildProcess::kill);
            notifyAll();
        }
        deleteFiles();
    }

    @Override
    public synchronized String summary() {
        if (plan == null) {
            return "restored post-data after the data in one pg_restore run: this Ferry cannot read the archive's table of contents ("
                    + unreadableWhy + ")" + (failure == null ? "; post-data ended " + postDataMillis + " ms after the data" : "");
        }
        return "built " + built.size() + " indexes, constraints and their comments with " + workers + " workers beside the"
                + " data load (" + builtBeforeDataEnd + " of them before the last table was in; " + runs + " pg_restore runs),"
                + " then " + plan.late().size() + " other post-data entries in archive order;"
                + " post-data ended " + postDataMillis + " ms after the data";
    }

    private void work() {
        while (true) {
            Batch batch;
            synchronized (this) {
                while ((batch = next()) == null) {
                    if (aborted || failure != null || (allData && pending.isEmpty())) {
                        return;
                    }
                    waitQuietly(500);
                }
                running.add(batch);
            }
            runBatch(batch);
            synchronized (this) {
                running.remove(batch);
                batch.entries.forEach(entry -> built.add(entry.dumpId()));
                if (!allData) {
                    builtBeforeDataEnd += batch.entries.size();
                }
                notifyAll();
            }
        }
    }

    /** The next early entries that may start now, or null; takes them out of {@code pending}. */
    private Batch next() {
        if (aborted || failure != null) {
            return null;
        }
        List<ArchiveToc.Entry> entries = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        Set<Integer> locked = new HashSet<>();
        boolean shares = true;
        boolean small = false;
        var iterator = pending.iterator();
        while (iterator.hasNext() && entries.size() < MAX_BATCH) {
            PostDataPlan.Item item = iterator.next();
            if (!ready(item, ids) || conflicts(item)) {
                continue;
            }
            boolean itemSmall = item.tableData().stream().mapToLong(id -> dataBytes.getOrDefault(id, 0L)).sum() < SMALL_TABLE_BYTES;
            if (!entries.isEmpty() && !(small && itemSmall)) {
                continue;
            }
            small = itemSmall;
            entries.add(item.entry());
            ids.add(item.entry().dumpId());
            locked.addAll(item.lockedTables());
            shares &= item.sharesLocks();
            iterator.remove();
            if (!small) {
                break;
            }
        }
        return entries.isEmpty() ? null : new Batch(entries, locked, shares);
    }

    private boolean ready(PostDataPlan.Item item, Set<Integer> inThisBatch) {
        boolean loaded = allData || (dataDone.containsAll(item.tableData()) && (preDataIn || !item.afterPreData()));
        return loaded && item.after().stream().allMatch(id -> built.contains(id) || inThisBatch.contains(id));
    }

    private boolean conflicts(PostDataPlan.Item item) {
        for (Batch other : running) {
            boolean overlap = item.lockedTables().stream().anyMatch(other.locked::contains);
            if (overlap && !(item.sharesLocks() && other.shares)) {
                return true;
            }
        }
        return false;
    }

    private void runBatch(Batch batch) {
        Path list = null;
        try {
            ChildCommand.Builder command = ChildCommand.of(programs.pgRestore(),
                    "--no-owner", "--no-privileges", "--exit-on-error", "--no-password");
            if (batch.entries.isEmpty()) {
                command.arg("--section=post-data");
            } else {
                list = scratch.resolve(FILE_PREFIX + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".list");
                StringBuilder lines = new StringBuilder();
                batch.entries.forEach(entry -> lines.append(entry.dumpId()).append("; 0 0 ").append(entry.desc()).append('\n'));
                Files.writeString(list, lines, StandardCharsets.UTF_8);
                command.arg("--use-list=" + list);
            }
            PostgresToolEnvironment.applyTo(command, staging);
            command.arg("--dbname=" + PostgresToolEnvironment.databaseOnly(staging.database())).arg(headFile.toString());
            ChildProcess child;
            synchronized (this) {
                if (aborted) {
                    return;
                }
                child = ChildProcess.start(command.build(), step);
                children.add(child);
                runs++;
            }
            try (child) {
                child.stdin().close();
                child.awaitSuccess(timeout, step);
            } finally {
                synchronized (this) {
                    children.remove(child);
                }
            }
        } catch (FerryException e) {
            String what = batch.entries.isEmpty() ? "the post-data section (indexes, constraints, triggers)"
                    : batch.entries.get(0).desc() + " " + batch.entries.get(0).tag()
                    + (batch.entries.size() > 1 ? " (or one of " + (batch.entries.size() - 1) + " entries run with it)" : "");
            fail(new FerryException(ErrorCode.IMPORT_FAILED, step, "Could not build " + what
                    + " in the staging database " + staging.database(), e.getMessage(),
                    "Fix the cause above and resume the run; the staging database is dropped, the target was not touched"));
        } catch (IOException e) {
            fail(new FerryException(ErrorCode.STORAGE, step, "Could not write a restore list in " + scratch, e.getMessage(),
                    "Check free disk space and permissions of the state folder"));
        } finally {
            if (list != null) {
                try {
                    Files.deleteIfExists(list);
                } catch (IOException ignored) {
                    // removed with the run folder
                }
            }
        }
    }

    private FerryException unreadable(String why) {
        return new FerryException(ErrorCode.IMPORT_FAILED, step, "Could not read the table of contents of the dump restored into "
                + staging.database(), why, "The dump was made by a pg_dump whose archive format this Ferry does not know: restore it with the Ferry release that made it, or a newer one");
    }

    private synchronized FerryException fail(FerryException e) {
        if (failure == null && !aborted) {
            failure = e;
        }
        notifyAll();
        return failure == null ? e : failure;
    }

    private synchronized FerryException failure() {
        return failure;
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted = true;
        }
    }

    private void deleteFiles() {
        Path file = headFile;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // removed with the run folder, or by the next attempt
            }
        }
    }

    private record Batch(List<ArchiveToc.Entry> entries, Set<Integer> locked, boolean shares) {
    }
}
