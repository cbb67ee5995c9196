package dev.ferry.testing;

import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.local.LocalMigrationFiles;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.MySqlSampleData;
import dev.ferry.local.LocalS3Server;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.local.SampleData;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.RunReport;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real servers for pipeline tests: a local S3 server with a bucket, a source PostgreSQL holding
 * the sample shop, and as many targets as a test asks for. Everything stops on close.
 */
public final class MigrationBed implements AutoCloseable {

    public static final String BUCKET = "ferry-test";
    public static final String DATABASE = "shop";
    public static final Path HOME = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();

    private final Path folder;
    private final LocalS3Server s3;
    private final LocalDatabaseServer source;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final S3Client s3Client;

    private MigrationBed(Path folder, LocalS3Server s3, LocalDatabaseServer source) {
        this.folder = folder;
        this.s3 = s3;
        this.source = source;
        this.s3Client = S3ClientFactory.create(s3.httpSettings(BUCKET));
    }

    public static MigrationBed start(PostgresBinaries sourceBinaries, int scale) {
        return start(() -> LocalPostgres.start(sourceBinaries), server -> SampleData.load((LocalPostgres) server, DATABASE, scale));
    }

    /** A bed whose source server also has {@code serverSettings} in its postgresql.conf (archiving, say). */
    public static MigrationBed start(PostgresBinaries sourceBinaries, int scale, Map<String, String> serverSettings) {
        return start(() -> LocalPostgres.start(sourceBinaries, serverSettings),
                server -> SampleData.load((LocalPostgres) server, DATABASE, scale));
    }

    public static MigrationBed startMariaDb(int scale) {
        return startMariaDb(scale, List.of());
    }

    public static MigrationBed startMariaDb(int scale, List<String> sourceOptions) {
        return start(() -> LocalMariaDb.start(sourceOptions), server -> MySqlSampleData.load((LocalMariaDb) server, DATABASE, scale));
    }

    private static MigrationBed start(java.util.function.Supplier<LocalDatabaseServer> servers,
                                      java.util.function.Consumer<LocalDatabaseServer> sampleData) {
        LocalS3Server s3 = LocalS3Server.start();
        LocalDatabaseServer source = null;
        try {
            s3.createBucket(BUCKET);
            source = servers.get();
            source.createDatabase(DATABASE);
            sampleData.accept(source);
            return new MigrationBed(Files.createTempDirectory("ferry-bed-"), s3, source);
        } catch (IOException | RuntimeException e) {
            if (source != null) {
                source.close();
            }
            s3.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public LocalS3Server s3() {
        return s3;
    }

    public LocalDatabaseServer source() {
        return source;
    }

    public LocalMariaDb newMariaDbTarget() {
        return newMariaDbTarget(List.of());
    }

    public LocalMariaDb newMariaDbTarget(List<String> serverOptions) {
        LocalMariaDb target = LocalMariaDb.start(serverOptions);
        servers.add(target);
        return target;
    }

    public ArtifactStore artifacts() {
        return new ArtifactStore(s3Client, s3.httpSettings(BUCKET));
    }

    public S3Client s3Client() {
        return s3Client;
    }

    public Path folder() {
        return folder;
    }

    public LocalPostgres newTarget(PostgresBinaries binaries) {
        LocalPostgres target = LocalPostgres.start(binaries);
        servers.add(target);
        return target;
    }

    /** The settings of a migration from this bed's source to {@code target}, secrets in 0600 files. */
    public Map<String, String> settings(LocalDatabaseServer target) {
        return LocalMigrationFiles.settings(folder, source, DATABASE, target, DATABASE, s3, BUCKET, "tests");
    }

    /** Writes a migration file instantiating {@code pipeline} with these parameters, plus any YAML of the test's. */
    public Path migration(String name, String pipeline, Map<String, String> parameters, String moreYaml) {
        return LocalMigrationFiles.write(folder.resolve(name + ".camel.yaml"), pipeline, name, parameters, moreYaml);
    }

    public Path stateDirectory(String name) {
        return folder.resolve("state-" + name);
    }

    public RunReport run(Path migration, Path state, Map<String, String> sets, String from, String until) {
        return new MigrationRunner(new RunOptions(HOME, state, sets, from, until, false, null, null, null)).run(migration);
    }

    public RunReport resume(String runId, Path state) {
        return new MigrationRunner(new RunOptions(HOME, state, Map.of(), null, null, false, runId, null, null)).resume(runId);
    }

    public Path secretFile(String name, String secret) {
        return LocalMigrationFiles.secretFile(folder, name + ".secret", secret);
    }

    @Override
    public void close() {
        s3Client.close();
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception ignored) {
                // keep closing the others
            }
        }
        source.close();
        s3.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary folder
        }
    }
}
