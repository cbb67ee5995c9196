package dev.ferry.bench;

import dev.ferry.local.LocalMariaDb;
import dev.ferry.local.LocalMigrationFiles;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.LocalS3Server;
import dev.ferry.local.MySqlSampleData;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.local.SampleData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers {@code scripts/benchmark.sh} measures against: a local S3 server (s3proxy; HTTPS for pgBackRest)
 * and, per engine asked for, a source server holding the sample shop at about {@code --size-mb}
 * megabytes and an empty target server (PostgreSQL, or MariaDB for {@code mysql}); for
 * {@code pgbackrest} the PostgreSQL source has archive_mode on and what {@link PgBackRestBench} prepares.
 * It writes {@code bench.env} (shell variables; secrets stay in 0600 files) and one migration file
 * per engine into {@code --out}, then keeps the servers up until its standard input ends (or it is
 * terminated), and stops them and deletes their folders.
 *
 * <p>Usage: {@code BenchmarkEnvironment --size-mb N --out DIR [--engine postgresql|mysql|pgbackrest|all]}
 */
public final class BenchmarkEnvironment {

    static final String BUCKET = "ferry-bench";
    static final String DATABASE = "shop";
    static final String FERRY_TARGET_DATABASE = "shop_ferry";
    private static final String CALIBRATION_DATABASE = "calibrate";
    private static final int[] CALIBRATION_SCALES = {10, 50};
    private static final int MYSQL_CALIBRATION_SCALE = 10;
    private static final long MB = 1024L * 1024L;

    private LocalS3Server s3;
    private LocalPostgres source;
    private LocalPostgres target;
    private LocalMariaDb mysqlSource;
    private LocalMariaDb mysqlTarget;
    private PgBackRestBench pgBackRest;

    public static void main(String[] args) throws Exception {
        long sizeMb = 1000;
        Path out = null;
        String engine = "postgresql";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mb" -> sizeMb = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--engine" -> engine = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (out == null || sizeMb < 1 || !List.of("postgresql", "mysql", "pgbackrest", "all").contains(engine)) {
            System.err.println("usage: BenchmarkEnvironment --size-mb N --out DIR [--engine postgresql|mysql|pgbackrest|all]");
            System.exit(2);
        }
        BenchmarkEnvironment environment = new BenchmarkEnvironment();
        Thread stopper = new Thread(environment::close, "stop-benchmark-servers");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            environment.start(sizeMb, out, engine);
            say("READY");
            // the script holds our stdin open while it measures; EOF (also when the script dies) means stop
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // nothing to do but wait
                }
            }
        } catch (RuntimeException e) {
            System.err.println("Benchmark environment failed: " + e);
            environment.close();
            System.exit(1);
        }
        environment.close();
        say("stopped");
    }

    private void start(long sizeMb, Path out, String engine) throws IOException {
        say("starting the local S3 server (s3proxy)");
        s3 = LocalS3Server.start();
        s3.createBucket(BUCKET);
        Files.createDirectories(out);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("S3_ENDPOINT", s3.httpEndpoint().toString());
        env.put("S3_BUCKET", BUCKET);
        env.put("S3_ACCESS_KEY", s3.accessKey());
        if (!engine.equals("mysql")) {
            startPostgres(sizeMb, out, env, engine.equals("pgbackrest") || engine.equals("all"));
        }
        if (engine.equals("mysql") || engine.equals("all")) {
            startMariaDb(sizeMb, out, env);
        }
        StringBuilder text = new StringBuilder("# written by dev.ferry.bench.BenchmarkEnvironment\n");
        env.forEach((key, value) -> text.append(key).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        // written beside and renamed, so the script never reads half a file
        Path partial = out.resolve("bench.env.partial");
        Files.writeString(partial, text);
        Files.move(partial, out.resolve("bench.env"), StandardCopyOption.ATOMIC_MOVE);
    }

    private void startPostgres(long sizeMb, Path out, Map<String, String> env, boolean physical) throws IOException {
        say("starting the source PostgreSQL" + (physical ? " (archive_mode on, for pgBackRest)" : ""));
        source = LocalPostgres.start(PostgresBinaries.system(), physical ? PgBackRestBench.SOURCE_SETTINGS : Map.of());
        int scale = scaleFor(sizeMb);
        say("loading the sample shop at scale " + scale + " (" + SampleData.rowCount(scale) + " rows)");
        long loadStart = System.nanoTime();
        source.createDatabase(DATABASE);
        SampleData.load(source, DATABASE, scale);
        // sets hint bits and the visibility map now, so that the first measured pg_dump does not pay for it
        source.execute(DATABASE, "VACUUM (FREEZE, ANALYZE)");
        source.execute(DATABASE, "CHECKPOINT");
        long bytes = Long.parseLong(source.queryValue(DATABASE, "SELECT pg_database_size(current_database())"));
        say(String.format("loaded in %.0f s: pg_database_size = %d MB", (System.nanoTime() - loadStart) / 1e9, bytes / MB));

        say("starting the target PostgreSQL");
        target = LocalPostgres.start(PostgresBinaries.system());

        Map<String, String> settings = LocalMigrationFiles.settings(out, source, DATABASE, target, FERRY_TARGET_DATABASE, s3, BUCKET, "ferry");
        Path migration = LocalMigrationFiles.write(out.resolve("ferry-bench.camel.yaml"), "postgres-logical", "bench-shop", settings, null);

        env.put("BENCH_SCALE", Integer.toString(scale));
        env.put("BENCH_ROWS", Long.toString(SampleData.rowCount(scale)));
        env.put("BENCH_DB_BYTES", Long.toString(bytes));
        env.put("BENCH_PG_MAJOR", Integer.toString(source.majorVersion()));
        env.put("SOURCE_HOST", source.host());
        env.put("SOURCE_PORT", Integer.toString(source.port()));
        env.put("SOURCE_USER", source.superuser());
        env.put("SOURCE_DB", DATABASE);
        env.put("SOURCE_PASSWORD_FILE", settings.get("source.passwordFile"));
        env.put("TARGET_HOST", target.host());
        env.put("TARGET_PORT", Integer.toString(target.port()));
        env.put("TARGET_USER", target.superuser());
        env.put("TARGET_PASSWORD_FILE", settings.get("target.passwordFile"));
        env.put("FERRY_TARGET_DB", FERRY_TARGET_DATABASE);
        env.put("S3_SECRET_FILE", settings.get("storage.secretKeyFile"));
        env.put("MIGRATION_FILE", migration.toString());
        if (physical) {
            say("preparing pgBackRest's folder and the postgres-physical migration");
            pgBackRest = PgBackRestBench.prepare(source, s3, BUCKET, DATABASE, out, env);
        }
    }

    /** The MySQL side: a source MariaDB with the shop at about {@code sizeMb} (InnoDB data and index length) and an empty target. */
    private void startMariaDb(long sizeMb, Path out, Map<String, String> env) {
        say("starting the source MariaDB");
        mysqlSource = LocalMariaDb.start();
        mysqlSource.createDatabase(CALIBRATION_DATABASE);
        MySqlSampleData.load(mysqlSource, CALIBRATION_DATABASE, MYSQL_CALIBRATION_SCALE);
        double perUnit = (double) mysqlBytes(CALIBRATION_DATABASE) / MYSQL_CALIBRATION_SCALE;
        mysqlSource.execute("mysql", "DROP DATABASE " + CALIBRATION_DATABASE);
        int scale = (int) Math.max(1, Math.min(MySqlSampleData.MAX_SCALE, Math.round(sizeMb * MB / perUnit)));
        say(String.format("one MariaDB scale unit weighs %.0f kB: %d MB needs scale %d (at most %d)",
                perUnit / 1024, sizeMb, scale, MySqlSampleData.MAX_SCALE));
        long loadStart = System.nanoTime();
        mysqlSource.createDatabase(DATABASE);
        MySqlSampleData.load(mysqlSource, DATABASE, scale);
        long bytes = mysqlBytes(DATABASE);
        say(String.format("loaded in %.0f s: data + index length = %d MB", (System.nanoTime() - loadStart) / 1e9, bytes / MB));

        say("starting the target MariaDB");
        mysqlTarget = LocalMariaDb.start();
        Map<String, String> settings = LocalMigrationFiles.settings(out, mysqlSource, DATABASE, mysqlTarget, FERRY_TARGET_DATABASE,
                s3, BUCKET, "ferry-mysql");
        Path migration = LocalMigrationFiles.write(out.resolve("ferry-bench-mysql.camel.yaml"), "mysql-logical", "bench-shop-mysql",
                settings, null);

        env.put("MY_SCALE", Integer.toString(scale));
        env.put("MY_DB_BYTES", Long.toString(bytes));
        env.put("MY_VERSION", mysqlSource.version().toString());
        env.put("MY_SOURCE_HOST", mysqlSource.host());
        env.put("MY_SOURCE_PORT", Integer.toString(mysqlSource.port()));
        env.put("MY_SOURCE_USER", mysqlSource.superuser());
        env.put("MY_SOURCE_DB", DATABASE);
        env.put("MY_SOURCE_PASSWORD_FILE", settings.get("source.passwordFile"));
        env.put("MY_TARGET_HOST", mysqlTarget.host());
        env.put("MY_TARGET_PORT", Integer.toString(mysqlTarget.port()));
        env.put("MY_TARGET_USER", mysqlTarget.superuser());
        env.put("MY_TARGET_PASSWORD_FILE", settings.get("target.passwordFile"));
        env.put("MY_FERRY_TARGET_DB", FERRY_TARGET_DATABASE);
        env.put("S3_SECRET_FILE", settings.get("storage.secretKeyFile"));
        env.put("MY_MIGRATION_FILE", migration.toString());
    }

    private long mysqlBytes(String database) {
        mysqlSource.execute(database, "ANALYZE TABLE order_items, orders, customers, products");
        return Long.parseLong(mysqlSource.queryValue(database,
                "SELECT sum(data_length + index_length) FROM information_schema.tables WHERE table_schema = DATABASE()"));
    }

    /**
     * Weighs the shop at two small scales and scales up so that the real one weighs about
     * {@code sizeMb}: the difference gives the weight of one unit without the fixed part (catalog,
     * free space and visibility maps), which one small load alone would spread over its units.
     */
    private int scaleFor(long sizeMb) {
        long small = weigh(CALIBRATION_SCALES[0]);
        long large = weigh(CALIBRATION_SCALES[1]);
        double perUnit = (double) (large - small) / (CALIBRATION_SCALES[1] - CALIBRATION_SCALES[0]);
        double fixed = small - perUnit * CALIBRATION_SCALES[0];
        int scale = (int) Math.max(1, Math.round((sizeMb * MB - fixed) / perUnit));
        say(String.format("one scale unit weighs %.0f kB (fixed part %.0f kB): %d MB needs scale %d",
                perUnit / 1024, fixed / 1024, sizeMb, scale));
        return scale;
    }

    /** pg_database_size of a scratch database holding the shop at {@code scale}. */
    private long weigh(int scale) {
        source.createDatabase(CALIBRATION_DATABASE);
        SampleData.load(source, CALIBRATION_DATABASE, scale);
        source.execute(CALIBRATION_DATABASE, "VACUUM (FREEZE, ANALYZE)");
        long bytes = Long.parseLong(source.queryValue(CALIBRATION_DATABASE, "SELECT pg_database_size(current_database())"));
        source.execute("postgres", "DROP DATABASE " + CALIBRATION_DATABASE);
        return bytes;
    }

    private synchronized void close() {
        for (AutoCloseable server : new AutoCloseable[] {pgBackRest, mysqlTarget, mysqlSource, target, source, s3}) {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    System.err.println("Could not stop " + server + ": " + e);
                }
            }
        }
        pgBackRest = null;
        mysqlTarget = null;
        mysqlSource = null;
        target = null;
        source = null;
        s3 = null;
    }

    private static void say(String line) {
        System.out.println("[bench-env] " + line);
        System.out.flush();
    }
}
