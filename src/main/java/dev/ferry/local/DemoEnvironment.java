package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Everything {@code ferry demo} needs on this machine: a local S3 server, a source PostgreSQL
 * with the sample shop, an empty target PostgreSQL, and a migration file pointing at them (secrets
 * in 0600 files it names). Closing stops the servers and deletes every file.
 */
public final class DemoEnvironment implements AutoCloseable {

    public static final String BUCKET = "ferry-demo";
    public static final String DATABASE = "shop";

    private final Path folder;
    private LocalS3Server s3;
    private LocalPostgres source;
    private LocalPostgres target;
    private Path migrationFile;

    private DemoEnvironment(Path folder) {
        this.folder = folder;
    }

    public static DemoEnvironment start(int scale, java.util.function.Consumer<String> say) {
        DemoEnvironment demo;
        try {
            demo = new DemoEnvironment(Files.createTempDirectory("ferry-demo-"));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "demo", "Cannot create a temporary folder", e.getMessage(), "Check /tmp");
        }
        try {
            say.accept("Starting a local S3 server (s3proxy)...");
            demo.s3 = LocalS3Server.start();
            demo.s3.createBucket(BUCKET);
            say.accept("Starting the source PostgreSQL and loading the sample shop (" + SampleData.rowCount(scale) + " rows)...");
            demo.source = LocalPostgres.start(PostgresBinaries.system());
            demo.source.createDatabase(DATABASE);
            SampleData.load(demo.source, DATABASE, scale);
            say.accept("Starting the target PostgreSQL...");
            demo.target = LocalPostgres.start(PostgresBinaries.system());
            demo.migrationFile = demo.writeMigration();
            return demo;
        } catch (RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    public Path migrationFile() {
        return migrationFile;
    }

    public LocalPostgres source() {
        return source;
    }

    public LocalPostgres target() {
        return target;
    }

    public LocalS3Server s3() {
        return s3;
    }

    private Path writeMigration() {
        Path sourcePassword = secretFile("source-password", source.password().reveal());
        Path targetPassword = secretFile("target-password", target.password().reveal());
        Path s3Secret = secretFile("s3-secret-key", s3.secretKey().reveal());
        String yaml = """
                # Written by 'ferry demo': the sample shop from a throwaway PostgreSQL to another, through a local S3 server.
                - templatedRoute:
                    routeTemplateRef: postgres-logical
                    routeId: demo-shop
                    parameters:
                      - {name: source.host, value: "%s"}
                      - {name: source.port, value: "%d"}
                      - {name: source.database, value: "%s"}
                      - {name: source.user, value: "%s"}
                      - {name: source.passwordFile, value: "%s"}
                      - {name: target.host, value: "%s"}
                      - {name: target.port, value: "%d"}
                      - {name: target.database, value: "%s"}
                      - {name: target.user, value: "%s"}
                      - {name: target.passwordFile, value: "%s"}
                      - {name: storage.endpoint, value: "%s"}
                      - {name: storage.bucket, value: "%s"}
                      - {name: storage.prefix, value: "demo"}
                      - {name: storage.accessKey, value: "%s"}
                      - {name: storage.secretKeyFile, value: "%s"}
                      - {name: check.order-total.sql, value: "SELECT sum(quantity) FROM order_items"}
                      - {name: check.order-total.expect, value: "source"}
                """.formatted(source.host(), source.port(), DATABASE, source.superuser(), sourcePassword,
                target.host(), target.port(), DATABASE, target.superuser(), targetPassword,
                s3.httpEndpoint(), BUCKET, s3.accessKey(), s3Secret);
        Path file = folder.resolve("demo-shop.camel.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "demo", "Cannot write " + file, e.getMessage(), "Check /tmp");
        }
        return file;
    }

    private Path secretFile(String name, String secret) {
        Path file = folder.resolve(name);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret);
            return file;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "demo", "Cannot write " + file, e.getMessage(), "Check /tmp");
        }
    }

    @Override
    public void close() {
        for (AutoCloseable server : new AutoCloseable[] {target, source, s3}) {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // keep stopping the others
                }
            }
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder the OS cleans eventually
        }
    }
}
