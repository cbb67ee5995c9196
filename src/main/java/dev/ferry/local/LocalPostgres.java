package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.postgres.PostgresConnections;
import dev.ferry.engine.postgres.PostgresEngine;
import dev.ferry.engine.postgres.PostgresIdentifiers;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL server on 127.0.0.1: its own data folder under the temp folder, a random
 * superuser password, a free port. {@link #close()} stops it and deletes the folder; a shutdown hook
 * does the same if the JVM exits first.
 */
public final class LocalPostgres implements LocalDatabaseServer {

    private static final String STEP = "local-postgres";
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final String MAINTENANCE_DATABASE = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_CHARACTERS = 4000;
    private static final PostgresEngine ENGINE = new PostgresEngine();

    private final PostgresBinaries binaries;
    private final ServerAccount account = ServerAccount.forThisProcess();
    private final Path folder;
    private final Secret password;
    private final ServerFolder serverFolder;
    private int port;
    private long pid;
    private ServerVersion version;
    private boolean closed;

    private LocalPostgres(PostgresBinaries binaries) throws IOException {
        this.binaries = binaries;
        this.serverFolder = ServerFolder.create("ferry-postgres-", this::close);
        this.folder = serverFolder.path();
        this.password = Secret.of(randomPassword(), "generated for a local PostgreSQL server");
    }

    private LocalPostgres(PostgresBinaries binaries, Path folder, Secret password) {
        this.binaries = binaries;
        this.serverFolder = ServerFolder.adopt(folder, this::close);
        this.folder = folder;
        this.password = password;
    }

    public static LocalPostgres start(PostgresBinaries binaries) {
        return start(binaries, Map.of());
    }

    /**
     * A new server whose postgresql.conf also holds {@code settings} (for example archive_mode)
     * before its first start.
     */
    public static LocalPostgres start(PostgresBinaries binaries, Map<String, String> settings) {
        LocalPostgres server;
        try {
            server = new LocalPostgres(binaries);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not create a folder for a local PostgreSQL server",
                    e.getMessage(), "Check the free space and permissions of " + System.getProperty("java.io.tmpdir"));
        }
        try {
            server.initdb();
            server.appendSettings(settings);
            server.startOnFreePort();
            server.version = ENGINE.probeServer(server.endpoint(MAINTENANCE_DATABASE), STEP);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Takes charge of a data directory made elsewhere ({@code folder}/data, for example by a physical
     * restore): a server already running on it is adopted on its port, a stopped one is started on a
     * free port. {@link #close()} then stops it and deletes {@code folder}.
     */
    public static LocalPostgres onExistingData(PostgresBinaries binaries, Path folder, Secret password) {
        LocalPostgres server = new LocalPostgres(binaries, folder, password);
        try {
            Path pidFile = server.dataFolder().resolve("postmaster.pid");
            if (Files.exists(pidFile) && ProcessHandle.of(server.readPid()).isPresent()) {
                server.pid = server.readPid();
                server.port = Integer.parseInt(Files.readAllLines(pidFile).get(3).strip());
            } else {
                Files.createDirectories(server.socketFolder());
                server.account.handOver(server.socketFolder(), STEP);
                server.startOnFreePort();
            }
            server.version = ENGINE.probeServer(server.endpoint(MAINTENANCE_DATABASE), STEP);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The user the server's programs and files belong to when this process is root; null otherwise. */
    public String osUser() {
        return account.switchesUser() ? ServerAccount.POSTGRES_USER : null;
    }

    /** The data directory. */
    public Path dataDirectory() {
        return dataFolder();
    }

    public PostgresBinaries binaries() {
        return binaries;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return SUPERUSER;
    }

    public Secret password() {
        return password;
    }

    public int majorVersion() {
        return version.major();
    }

    public ServerVersion version() {
        return version;
    }

    /** The postmaster's process id. */
    public long pid() {
        return pid;
    }

    /** The folder holding the data, the socket and the server log; gone after {@link #close()}. */
    public Path folder() {
        return folder;
    }

    public DatabaseEndpoint endpoint(String database) {
        return new DatabaseEndpoint("postgresql", HOST, port, database, SUPERUSER, password, Map.of());
    }

    public void createDatabase(String database) {
        execute(MAINTENANCE_DATABASE, "CREATE DATABASE " + PostgresIdentifiers.quote(database));
    }

    public void execute(String database, String sql) {
        try (Connection connection = PostgresConnections.open(endpoint(database), STEP);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "SQL failed on " + endpoint(database).describe(),
                    e.getMessage(), "Fix the statement; the server log ends with: " + logTail(), e);
        }
    }

    /** The first column of the first row as text ({@code "null"} for none). */
    public String queryValue(String database, String sql) {
        return ENGINE.queryValue(endpoint(database), sql, STEP);
    }

    /** The end of the server log, for failure messages. */
    public String logTail() {
        Path log = logFile();
        try {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            return Redactor.redact(text.substring(Math.max(0, text.length() - LOG_TAIL_CHARACTERS)));
        } catch (IOException | UncheckedIOException e) {
            return "(server log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Makes the server require TLS on TCP connections, with this certificate and key (PEM), and
     * restarts it. Clients choose whether to verify the certificate (sslmode).
     */
    public synchronized void enableTls(Path certificate, Path key) {
        try {
            Path tls = folder.resolve("tls");
            Files.createDirectories(tls);
            Path serverCertificate = Files.copy(certificate, tls.resolve("server.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path serverKey = Files.copy(key, tls.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dataFolder().resolve("postgresql.conf"), "\nssl = on\nssl_cert_file = '" + serverCertificate
                    + "'\nssl_key_file = '" + serverKey + "'\n", java.nio.file.StandardOpenOption.APPEND);
            Path hba = dataFolder().resolve("pg_hba.conf");
            Files.writeString(hba, Files.readString(hba).replaceAll("(?m)^host(\\s)", "hostssl$1"));
            account.handOver(folder, STEP);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not set up TLS for the local server", e.getMessage(),
                    "Check the certificate and key files");
        }
        stop();
        restart();
    }

    /** Stops the server but keeps its data, to simulate an outage; {@link #restart()} brings it back on the same port. */
    public synchronized void stopServer() {
        stop();
    }

    public synchronized void restart() {
        run(account.command(binaries.pgCtl(), "-D", dataFolder().toString(), "-l", logFile().toString(),
                "-w", "-t", "60", "-o", serverOptions(), "start"));
        pid = readPid();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            serverFolder.release();
        }
    }

    private void initdb() {
        Path passwordFile = folder.resolve("superuser-password");
        try {
            Files.createDirectory(socketFolder());
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, password.reveal(), StandardCharsets.UTF_8);
            account.handOver(folder, STEP);
            run(account.command(binaries.initdb(), "-D", dataFolder().toString(), "-U", SUPERUSER,
                    "--auth=scram-sha-256", "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale", "--no-sync"));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not prepare " + folder, e.getMessage(),
                    "Check the free space and permissions of the temp folder");
        } finally {
            deleteQuietly(passwordFile);
        }
    }

    private void appendSettings(Map<String, String> settings) {
        if (settings.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder("\n");
        settings.forEach((name, value) -> text.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
        try {
            Files.writeString(dataFolder().resolve("postgresql.conf"), text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not add settings to postgresql.conf", e.getMessage(),
                    "Check the data folder " + dataFolder());
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = FreePort.onLoopback(STEP);
            try {
                run(account.command(binaries.pgCtl(), "-D", dataFolder().toString(), "-l", logFile().toString(),
                        "-w", "-t", "60", "-o", serverOptions(), "start"));
                pid = readPid();
                return;
            } catch (FerryException e) {
                // another process may take the port between our probe and the server's bind
                if (attempt >= START_ATTEMPTS || !logTail().contains("could not bind")) {
                    throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Local PostgreSQL " + binaries.major()
                            + " did not start", e.why() + "; the server log ends with: " + logTail(),
                            "Look at the server log above; check that " + binaries.binDirectory()
                            + " is readable by the user the server runs as");
                }
            }
        }
    }

    private String serverOptions() {
        // durability does not matter for a throwaway server; speed does
        return String.join(" ", List.of("-p", Integer.toString(port), "-k", socketFolder().toString(),
                "-c", "listen_addresses=" + HOST, "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off"));
    }

    private void stop() {
        if (!Files.exists(dataFolder().resolve("postmaster.pid"))) {
            return;
        }
        try {
            run(account.command(binaries.pgCtl(), "-D", dataFolder().toString(), "-m", "immediate", "-w", "stop"));
        } catch (FerryException e) {
            // the wait below kills the server when it did not stop
        }
        ProcessHandle.of(pid).filter(unused -> pid > 0).ifPresent(this::awaitOrKill);
    }

    /** Waits for the postmaster to be gone (reaped, not just exited), killing it if it lingers. */
    private void awaitOrKill(ProcessHandle postmaster) {
        try {
            postmaster.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillThere) {
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
            try {
                postmaster.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                System.err.println("Local PostgreSQL (pid " + pid + ") did not exit: " + e);
            }
        }
    }

    private long readPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataFolder().resolve("postmaster.pid")).get(0).strip());
        } catch (IOException | RuntimeException e) {
            throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Local PostgreSQL started without a readable postmaster.pid",
                    e.getMessage(), "Look at the server log: " + logTail());
        }
    }

    private void run(ChildCommand.Builder command) {
        ChildProcess.run(command.workingDirectory(folder).build(), STEP, COMMAND_TIMEOUT);
    }

    private Path dataFolder() {
        return folder.resolve("data");
    }

    private Path socketFolder() {
        return folder.resolve("socket");
    }

    private Path logFile() {
        return folder.resolve("server.log");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // inside the server's folder, which close() deletes
        }
    }
}
