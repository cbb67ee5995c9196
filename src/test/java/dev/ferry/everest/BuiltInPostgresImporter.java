package dev.ferry.everest;

import dev.ferry.everest.importer.ImportRequest;

import dev.ferry.credentials.Secret;
import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.pgbackrest.PgBackRestCli;
import dev.ferry.pgbackrest.PgBackRestConfig;
import dev.ferry.pgbackrest.PgBackRestOptions;
import dev.ferry.testing.MigrationBed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everest's built-in {@code everest-percona-pg-operator} as documented, for real: from
 * request.json's path {@code <prefix>/backup/db/<label>/} it sets {@code repo1-path=<prefix>},
 * uri-style from {@code forcePathStyle}, TLS verification from {@code verifyTLS}, and runs
 * {@code pgbackrest restore --stanza=db --set=<label> --type=immediate --target-action=promote}
 * against the repository into a new data directory; then it starts a PostgreSQL there (archiving
 * off, as a new cluster must not push WAL into the source's repository), waits for the promotion
 * and returns that server, which plays the new cluster.
 */
final class BuiltInPostgresImporter implements EverestSimulation.BuiltInImporter, AutoCloseable {

    private static final String STEP = "everest-percona-pg-operator";

    private final Path folder;
    private final PostgresBinaries binaries;
    private final Secret sourcePassword;
    private final List<LocalPostgres> started = new ArrayList<>();
    final List<String> restores = new ArrayList<>();

    /** {@code folder} must be reachable by the postgres user; {@code sourcePassword} is the restored superuser's. */
    BuiltInPostgresImporter(Path folder, PostgresBinaries binaries, Secret sourcePassword) {
        this.folder = folder;
        this.binaries = binaries;
        this.sourcePassword = sourcePassword;
    }

    @Override
    public LocalDatabaseServer restore(Path requestFile, StringBuilder log) throws Exception {
        ImportRequest request = ImportRequest.read(requestFile);
        String path = request.path().replaceAll("/+$", "");
        int at = path.lastIndexOf("/backup/db/");
        if (at < 0) {
            throw new IllegalArgumentException("not a pgBackRest backup path (<prefix>/backup/db/<label>): " + request.path());
        }
        String repoPath = at == 0 ? "/" : path.substring(0, at);
        String label = path.substring(at + "/backup/db/".length());
        String osUser = "root".equals(System.getProperty("user.name")) ? "postgres" : null;

        Path cluster = Files.createTempDirectory(folder, "cluster-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = Files.createDirectory(cluster.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        PgBackRestConfig.giveTo(osUser, cluster);
        PgBackRestConfig.giveTo(osUser, data);
        PgBackRestOptions options = new PgBackRestOptions("pgbackrest", osUser, cluster.resolve("pgbackrest.conf"), cluster.resolve("log"),
                cluster.resolve("lock"), repoPath, 2, "zst", "full", false, null, Duration.ofMinutes(5));
        PgBackRestConfig.write(MigrationBed.HOME, options.configFile(), request.store(), options,
                new PgBackRestConfig.Cluster(data, null, null, null), STEP);
        List<String> arguments = List.of("--set=" + label, "--type=immediate", "--target-action=promote");
        synchronized (restores) {
            restores.add("repo1-path=" + repoPath + " " + String.join(" ", arguments));
        }
        log.append("restoring ").append(label).append(" from repo1-path=").append(repoPath).append('\n');
        PgBackRestCli.Output output = new PgBackRestCli(options, options.configFile(), STEP).require("restore", arguments, null,
                options.timeout(), "pgbackrest restore failed", "");
        log.append(output.stdout());
        Files.writeString(data.resolve("postgresql.auto.conf"), "archive_mode = off\n", StandardOpenOption.APPEND);

        LocalPostgres server = LocalPostgres.onExistingData(binaries, cluster, sourcePassword);
        synchronized (started) {
            started.add(server);
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (!List.of("f", "false").contains(server.queryValue("postgres", "SELECT pg_is_in_recovery()"))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the restored server did not leave recovery in 60 s");
            }
            Thread.sleep(200);
        }
        log.append("restored ").append(label).append(": PostgreSQL ").append(server.version().full()).append(" promoted on port ")
                .append(server.port()).append('\n');
        return server;
    }

    @Override
    public void close() {
        synchronized (started) {
            started.forEach(LocalPostgres::close);
            started.clear();
        }
    }
}
