package dev.ferry.bench;

import dev.ferry.local.Folders;
import dev.ferry.local.FreePort;
import dev.ferry.local.LocalMigrationFiles;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.LocalS3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * What the benchmark's pgBackRest rows (by hand and through Ferry's postgres-physical) share: a
 * folder the postgres user can reach (rwxr-xr-x) for the one pgBackRest configuration both write
 * (the script points the source's archive_command at it), pgBackRest's log and lock folders and
 * the restored data directory; a loopback port for the restored servers; and Ferry's migration
 * file. {@link #close()} stops a restored server still running and deletes the folder.
 */
final class PgBackRestBench implements AutoCloseable {

    static final String FERRY_PREFIX = "ferry-physical";
    /** Ferry's defaults (pgbackrest.processMax, pgbackrest.compressType), written into the migration so both methods use them. */
    static final int PROCESS_MAX = 2;
    static final String COMPRESS_TYPE = "zst";
    /**
     * The source's settings at its first start. archive_mode needs a restart, so it is on from the
     * start; until the script points archive_command at pgBackRest, just before its pgBackRest rows,
     * WAL (the loads', the logical rows') is thrown away ({@code true}) rather than kept, so that no
     * measured run pushes a backlog of it.
     */
    static final Map<String, String> SOURCE_SETTINGS = Map.of("wal_level", "replica", "archive_mode", "on", "archive_command", "true");

    private final Path folder;
    private final LocalPostgres source;

    private PgBackRestBench(Path folder, LocalPostgres source) {
        this.folder = folder;
        this.source = source;
    }

    /** Makes the shared folder and writes the migration file and {@code env}'s PGBR_ entries. */
    static PgBackRestBench prepare(LocalPostgres source, LocalS3Server s3, String bucket, String database, Path out,
                                   Map<String, String> env) throws IOException {
        Path folder = Files.createTempDirectory("ferry-bench-pgbackrest-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PgBackRestBench bench = new PgBackRestBench(folder, source);
        try {
            Files.createDirectories(bench.configFile().getParent());
            Files.createDirectories(bench.restoreFolder());
            int restorePort = FreePort.onLoopback("benchmark");
            String endpoint = s3.httpsEndpoint().toString().replace("127.0.0.1", "localhost");

            Map<String, String> settings = LocalMigrationFiles.settings(out, source, database, source, database, s3, bucket, FERRY_PREFIX);
            // after a physical restore the target's roles and passwords are the source's
            settings.put("target.port", Integer.toString(restorePort));
            settings.put("target.passwordFile", settings.get("source.passwordFile"));
            settings.put("storage.endpoint", endpoint);
            settings.put("storage.caBundle", s3.caCertificatePem().toString());
            settings.put("pgbackrest.configFile", bench.configFile().toString());
            settings.put("pgbackrest.logPath", bench.logPath().toString());
            settings.put("pgbackrest.lockPath", bench.lockPath().toString());
            settings.put("pgbackrest.processMax", Integer.toString(PROCESS_MAX));
            settings.put("pgbackrest.compressType", COMPRESS_TYPE);
            settings.put("restore.dataDirectory", bench.restoreDataDirectory().toString());
            settings.put("restore.pgBin", source.binaries().binDirectory().toString());
            Path migration = LocalMigrationFiles.write(out.resolve("ferry-bench-physical.camel.yaml"), "postgres-physical",
                    "bench-shop-physical", settings, null);

            env.put("PGBR_FOLDER", folder.toString());
            env.put("PGBR_CONFIG", bench.configFile().toString());
            env.put("PGBR_LOG_PATH", bench.logPath().toString());
            env.put("PGBR_LOCK_PATH", bench.lockPath().toString());
            env.put("PGBR_RESTORE_DIR", bench.restoreDataDirectory().toString());
            env.put("PGBR_RESTORE_PORT", Integer.toString(restorePort));
            env.put("PGBR_S3_HOST", "localhost");
            env.put("PGBR_S3_PORT", Integer.toString(s3.httpsEndpoint().getPort()));
            env.put("PGBR_CA_FILE", s3.caCertificatePem().toString());
            env.put("PGBR_PROCESS_MAX", Integer.toString(PROCESS_MAX));
            env.put("PGBR_COMPRESS_TYPE", COMPRESS_TYPE);
            env.put("PGBR_OS_USER", source.osUser() == null ? "" : source.osUser());
            env.put("PGBR_FERRY_PREFIX", FERRY_PREFIX);
            env.put("PGBR_MIGRATION_FILE", migration.toString());
            env.put("PG_BIN", source.binaries().binDirectory().toString());
            return bench;
        } catch (IOException | RuntimeException e) {
            bench.close();
            throw e;
        }
    }

    /** The configuration archive_command names; each method writes its own repository path into it before its run. */
    Path configFile() {
        return folder.resolve("etc/pgbackrest.conf");
    }

    private Path logPath() {
        return folder.resolve("log");
    }

    private Path lockPath() {
        return folder.resolve("lock");
    }

    private Path restoreFolder() {
        return folder.resolve("restore");
    }

    private Path restoreDataDirectory() {
        return restoreFolder().resolve("data");
    }

    @Override
    public void close() {
        // the script stops each restored server; this is for a script that died in the middle of a run
        if (Files.exists(restoreDataDirectory().resolve("postmaster.pid"))) {
            try {
                LocalPostgres.onExistingData(source.binaries(), restoreFolder(), source.password()).close();
            } catch (RuntimeException e) {
                System.err.println("Could not stop the restored server on " + restoreDataDirectory() + ": " + e);
            }
        }
        try {
            Folders.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
