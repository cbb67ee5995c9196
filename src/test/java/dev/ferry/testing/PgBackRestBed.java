package dev.ferry.testing;

import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link MigrationBed} for physical migrations with pgBackRest: a PostgreSQL 15 source with
 * {@code wal_level=replica} and {@code archive_mode=on}, and a shared folder (rwxr-xr-x) for what
 * runs as postgres — pgBackRest, archive_command, restored servers — deleted with all inside on close.
 */
public final class PgBackRestBed implements AutoCloseable {

    private final MigrationBed bed;
    private final Path shared;

    private PgBackRestBed(MigrationBed bed, Path shared) {
        this.bed = bed;
        this.shared = shared;
    }

    public static PgBackRestBed start() {
        MigrationBed bed = MigrationBed.start(PostgresBinaries.system(), 1, Map.of("wal_level", "replica", "archive_mode", "on"));
        try {
            return new PgBackRestBed(bed, Files.createTempDirectory("ferry-pgbackrest-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x"))));
        } catch (IOException e) {
            bed.close();
            throw new UncheckedIOException(e);
        }
    }

    public MigrationBed bed() {
        return bed;
    }

    public Path shared() {
        return shared;
    }

    /**
     * The settings of a pgBackRest migration from the source: s3proxy over HTTPS as
     * {@code https://localhost:<port>} (pgBackRest 2.45 matches a certificate by DNS name only, not
     * IP SANs), the repository under {@code prefix}, pgBackRest's configuration at {@code configFile}
     * and its log and lock folders in the shared folder, archiving applied by ALTER SYSTEM.
     */
    public Map<String, String> settings(String prefix, Path configFile) {
        Map<String, String> settings = new LinkedHashMap<>(bed.settings((LocalPostgres) bed.source()));
        settings.put("storage.endpoint", bed.s3().httpsEndpoint().toString().replace("127.0.0.1", "localhost"));
        settings.put("storage.prefix", prefix);
        settings.put("pgbackrest.configFile", configFile.toString());
        settings.put("pgbackrest.logPath", shared.resolve("log").toString());
        settings.put("pgbackrest.lockPath", shared.resolve("lock").toString());
        settings.put("pgbackrest.configureArchiving", "true");
        return settings;
    }

    @Override
    public void close() {
        bed.close();
        try (Stream<Path> files = Files.walk(shared)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
