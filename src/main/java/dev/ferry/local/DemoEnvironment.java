package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything {@code ferry demo} needs on this machine: a local S3 server, a source PostgreSQL or
 * MariaDB with the sample shop, an empty target of the same kind, and a migration file pointing at
 * them (secrets in 0600 files it names). Closing stops the servers and deletes every file.
 */
public final class DemoEnvironment implements AutoCloseable {

    public static final String BUCKET = "ferry-demo";
    public static final String DATABASE = "shop";

    private final Path folder;
    private LocalS3Server s3;
    private final DemoEngine engine;
    private LocalDatabaseServer source;
    private LocalDatabaseServer target;
    private Path migrationFile;

    /** The engines the demo can show, with the pipeline each uses. */
    public enum DemoEngine {
        POSTGRESQL("postgres-logical", "PostgreSQL", "SELECT sum(quantity) FROM order_items"),
        MYSQL("mysql-logical", "MariaDB", "SELECT sum(quantity) FROM order_items");

        final String pipeline;
        final String displayName;
        final String check;

        DemoEngine(String pipeline, String displayName, String check) {
            this.pipeline = pipeline;
            this.displayName = displayName;
            this.check = check;
        }

        LocalDatabaseServer startServer() {
            return this == POSTGRESQL ? LocalPostgres.start(PostgresBinaries.system()) : LocalMariaDb.start();
        }

        void load(LocalDatabaseServer server, int scale) {
            if (this == POSTGRESQL) {
                SampleData.load((LocalPostgres) server, DATABASE, scale);
            } else {
                MySqlSampleData.load((LocalMariaDb) server, DATABASE, scale);
            }
        }
    }

    private DemoEnvironment(Path folder, DemoEngine engine) {
        this.folder = folder;
        this.engine = engine;
    }

    public static DemoEnvironment start(DemoEngine engine, int scale, java.util.function.Consumer<String> say) {
        DemoEnvironment demo;
        try {
            demo = new DemoEnvironment(Files.createTempDirectory("ferry-demo-"), engine);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, "demo", "Cannot create a temporary folder", e.getMessage(), "Check /tmp");
        }
        try {
            say.accept("Starting a local S3 server (s3proxy)...");
            demo.s3 = LocalS3Server.start();
            demo.s3.createBucket(BUCKET);
            say.accept("Starting the source " + engine.displayName + " and loading the sample shop...");
            demo.source = engine.startServer();
            demo.source.createDatabase(DATABASE);
            engine.load(demo.source, scale);
            say.accept("Starting the target " + engine.displayName + "...");
            demo.target = engine.startServer();
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

    public LocalDatabaseServer source() {
        return source;
    }

    public LocalDatabaseServer target() {
        return target;
    }

    public LocalS3Server s3() {
        return s3;
    }

    private Path writeMigration() {
        Map<String, String> settings = LocalMigrationFiles.settings(folder, source, DATABASE, target, DATABASE, s3, BUCKET, "demo");
        settings.put("check.order-total.sql", engine.check);
        settings.put("check.order-total.expect", "source");
        return LocalMigrationFiles.write(folder.resolve("demo-shop.camel.yaml"), engine.pipeline, "demo-shop", settings, null);
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
