package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.mysql.MySqlConnections;
import dev.ferry.engine.mysql.MySqlEngine;
import dev.ferry.engine.mysql.MySqlIdentifiers;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway MariaDB server on 127.0.0.1: its own data folder under the temp folder (created by
 * {@code mariadb-install-db}), its own socket, a free port, grants on, and a random password for
 * {@code root} (from any host, over TCP). Under root the server runs as the {@code mysql} OS user.
 * {@link #close()} stops it and deletes the folder; a shutdown hook does the same if the JVM exits first.
 */
public final class LocalMariaDb implements LocalDatabaseServer {

    private static final String STEP = "local-mariadb";
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "root";
    private static final String MAINTENANCE_DATABASE = "mysql";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_CHARACTERS = 4000;
    private static final String READY = "ready for connections";
    private static final List<String> SERVER_FOLDERS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin");
    private static final MySqlEngine ENGINE = new MySqlEngine();

    private final ServerAccount account = ServerAccount.forThisProcess(ServerAccount.MYSQL_USER);
    private final Path folder;
    private final Secret password;
    private final ServerFolder serverFolder;
    private Process server;
    private int port;
    private ServerVersion version;
    private boolean closed;
    private Path[] tls;
    private final List<String> serverOptions;

    private LocalMariaDb(List<String> serverOptions) throws IOException {
        this.serverOptions = List.copyOf(serverOptions);
        this.serverFolder = ServerFolder.create("ferry-mariadb-", this::close);
        this.folder = serverFolder.path();
        this.password = Secret.of(randomPassword(), "generated for a local MariaDB server");
    }

    /** Installs a data folder and starts a server on it; fails with the server log when it does not come up. */
    public static LocalMariaDb start() {
        return start(List.of());
    }

    /**
     * As {@link #start()}, with more mariadbd options ({@code --log-bin}, {@code --server-id=2}, ...);
     * without {@code --log-bin} among them the server keeps no binary log.
     */
    public static LocalMariaDb start(List<String> serverOptions) {
        LocalMariaDb server;
        try {
            server = new LocalMariaDb(serverOptions);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not create a folder for a local MariaDB server",
                    e.getMessage(), "Check the free space and permissions of " + System.getProperty("java.io.tmpdir"));
        }
        try {
            server.installDataFolder();
            server.startOnFreePort();
            server.setRootPassword();
            server.version = ENGINE.probeServer(server.endpoint(MAINTENANCE_DATABASE), STEP);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
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

    public ServerVersion version() {
        return version;
    }

    /** The server's process id (mariadbd itself, not runuser). */
    public long pid() {
        return readPid();
    }

    /** The folder holding the data, the socket and the server log; gone after {@link #close()}. */
    public Path folder() {
        return folder;
    }

    public DatabaseEndpoint endpoint(String database) {
        return new DatabaseEndpoint("mysql", HOST, port, database, SUPERUSER, password, Map.of());
    }

    public void createDatabase(String database) {
        execute(MAINTENANCE_DATABASE, "CREATE DATABASE " + MySqlIdentifiers.quote(database) + " CHARACTER SET utf8mb4");
    }

    /** Runs SQL in {@code database}; several statements separated by ';' are allowed. */
    public void execute(String database, String sql) {
        try (Connection connection = MySqlConnections.openForScripts(endpoint(database), STEP);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "SQL failed on " + endpoint(database).describe(),
                    e.getMessage(), "Fix the statement; the server log ends with: " + logTail(), e);
        }
    }

    /** The first column of the first row as text ({@code "null"} for none), read-only. */
    public String queryValue(String database, String sql) {
        return ENGINE.queryValue(endpoint(database), sql, STEP);
    }

    /** The end of the server log, for failure messages. */
    public String logTail() {
        String text = readLog();
        return Redactor.redact(text.substring(Math.max(0, text.length() - LOG_TAIL_CHARACTERS)));
    }

    /**
     * Makes the server require TLS, with this certificate and key (PEM), and restarts it. Clients
     * choose whether to verify the certificate (sslMode).
     */
    public synchronized void enableTls(Path certificate, Path key) {
        try {
            Path folderForTls = Files.createDirectories(folder.resolve("tls"));
            Path serverCertificate = Files.copy(certificate, folderForTls.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
            Path serverKey = Files.copy(key, folderForTls.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
            account.handOver(folder, STEP);
            tls = new Path[] {serverCertificate, serverKey};
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not set up TLS for the local server", e.getMessage(),
                    "Check the certificate and key files");
        }
        stop();
        launch();
    }

    /** Stops the server but keeps its data, to simulate an outage; {@link #restart()} brings it back on the same port. */
    public synchronized void stopServer() {
        stop();
    }

    public synchronized void restart() {
        if (server != null && server.isAlive()) {
            return;
        }
        launch();
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

    private void installDataFolder() {
        try {
            // the server's own temporary files: servers of parallel tests sharing /tmp have lost theirs
            Files.createDirectories(temporaryFolder());
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not create " + temporaryFolder(), e.getMessage(),
                    "Check the free space and permissions of " + folder);
        }
        account.handOver(folder, STEP);
        ChildCommand command = account.command(program("mariadb-install-db"), "--no-defaults",
                        "--datadir=" + dataFolder(), "--auth-root-authentication-method=normal", "--skip-test-db",
                        "--skip-name-resolve")
                .workingDirectory(folder).build();
        try {
            ChildProcess.run(command, STEP, COMMAND_TIMEOUT);
        } catch (FerryException e) {
            throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "mariadb-install-db could not prepare " + dataFolder(),
                    e.why(), "Install the mariadb-server package; check that the user it runs as may write " + folder);
        }
    }

    private void startOnFreePort() {
        for (int attempt = 1; ; attempt++) {
            port = FreePort.onLoopback(STEP);
            try {
                launch();
                return;
            } catch (FerryException e) {
                // another process may take the port between our probe and the server's bind
                String log = logTail();
                if (attempt >= START_ATTEMPTS || !(log.contains("Address already in use") || log.contains("Can't start server"))) {
                    throw e;
                }
            }
        }
    }

    /** Starts mariadbd and waits until its log says it is ready; fails with the log's end when it dies first. */
    private void launch() {
        int logLength = readLog().length();
        List<String> arguments = new ArrayList<>(List.of("--no-defaults", "--datadir=" + dataFolder(),
                "--socket=" + socket(), "--port=" + port, "--bind-address=" + HOST, "--pid-file=" + pidFile(),
                "--tmpdir=" + temporaryFolder(),
                "--log-error=" + logFile(), "--skip-name-resolve", "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci", "--max-allowed-packet=64M",
                // durability does not matter for a throwaway server; speed does
                "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
                "--event-scheduler=OFF"));
        if (serverOptions.stream().noneMatch(option -> option.startsWith("--log-bin"))) {
            arguments.add("--skip-log-bin");
        }
        arguments.addAll(serverOptions);
        if (tls != null) {
            arguments.addAll(List.of("--ssl-cert=" + tls[0], "--ssl-key=" + tls[1], "--require-secure-transport=ON"));
        }
        ChildCommand command = account.command(program("mariadbd"), arguments.toArray(String[]::new)).build();
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(folder.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("console.log").toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            server = builder.start();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.TOOL_MISSING, STEP, "Could not start mariadbd", e.getMessage(),
                    "Install the mariadb-server package");
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String log = readLog();
            if (log.length() > logLength && log.substring(logLength).contains(READY)) {
                return;
            }
            if (!server.isAlive()) {
                throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Local MariaDB did not start",
                        "mariadbd exited with " + server.exitValue() + "; the server log ends with: " + logTail(),
                        "Look at the server log above");
            }
            sleep(50);
        }
        stop();
        throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Local MariaDB did not start",
                "not ready after " + START_TIMEOUT.toSeconds() + " s; the server log ends with: " + logTail(),
                "Look at the server log above");
    }

    /**
     * mariadb-install-db leaves root without a password (over TCP from 127.0.0.1 too): give every
     * root account the random password and add root from any host, as a managed server would have.
     */
    private void setRootPassword() {
        DatabaseEndpoint withoutPassword = new DatabaseEndpoint("mysql", HOST, port, MAINTENANCE_DATABASE, SUPERUSER,
                null, Map.of());
        String quotedPassword = "'" + password.reveal() + "'";
        try (Connection connection = MySqlConnections.open(withoutPassword, STEP);
             Statement statement = connection.createStatement()) {
            List<String> hosts = new ArrayList<>();
            try (var result = statement.executeQuery("SELECT host FROM mysql.user WHERE user = 'root'")) {
                while (result.next()) {
                    hosts.add(result.getString(1));
                }
            }
            if (!hosts.contains("%")) {
                statement.execute("CREATE USER 'root'@'%' IDENTIFIED BY " + quotedPassword);
                statement.execute("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION");
            }
            for (String host : hosts) {
                // the connection's own account last: it must not lose its password before the others change
                String account = "'root'@'" + host.replace("'", "''") + "'";
                if (host.equals(HOST)) {
                    continue;
                }
                if (host.equals("localhost") || host.equals("%") || host.matches("[0-9a-fA-F.:]+")) {
                    statement.execute("ALTER USER " + account + " IDENTIFIED BY " + quotedPassword);
                } else {
                    // the machine's own name: unusable under --skip-name-resolve, and one password-less account less
                    statement.execute("DROP USER " + account);
                }
            }
            statement.execute("ALTER USER 'root'@'" + HOST + "' IDENTIFIED BY " + quotedPassword);
        } catch (SQLException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not set the root password of a local MariaDB",
                    e.getMessage(), "Look at the server log: " + logTail(), e);
        }
    }

    private void stop() {
        Process running = server;
        if (running == null) {
            return;
        }
        long mariadbd = pidFromFile();
        // SIGTERM makes mariadbd shut down cleanly; runuser, its parent, then exits with it
        ProcessHandle.of(mariadbd > 0 ? mariadbd : running.pid()).ifPresent(ProcessHandle::destroy);
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.descendants().forEach(ProcessHandle::destroyForcibly);
                running.destroyForcibly();
                running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (mariadbd > 0) {
                ProcessHandle.of(mariadbd).ifPresent(this::awaitOrKill);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
        server = null;
    }

    private void awaitOrKill(ProcessHandle process) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillThere) {
            process.destroyForcibly();
        }
    }

    private long readPid() {
        long pid = pidFromFile();
        if (pid <= 0) {
            throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Local MariaDB has no readable pid file",
                    null, "Look at the server log: " + logTail());
        }
        return pid;
    }

    private long pidFromFile() {
        try {
            return Long.parseLong(Files.readString(pidFile(), StandardCharsets.US_ASCII).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String readLog() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException | UncheckedIOException e) {
            return "(server log unreadable: " + e.getMessage() + ")";
        }
    }

    /** A server program: from -Dferry.mariadbbin, else the PATH, else the folders packages put servers in. */
    private static Path program(String name) {
        String configured = System.getProperty("ferry.mariadbbin");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured, name);
        }
        List<String> folders = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        folders.addAll(SERVER_FOLDERS);
        for (String candidateFolder : folders) {
            if (!candidateFolder.isEmpty() && Files.isExecutable(Path.of(candidateFolder, name))) {
                return Path.of(candidateFolder, name);
            }
        }
        return Path.of(name);
    }

    private Path dataFolder() {
        return folder.resolve("data");
    }

    private Path temporaryFolder() {
        return folder.resolve("tmp");
    }

    private Path socket() {
        return folder.resolve("mysqld.sock");
    }

    private Path pidFile() {
        return folder.resolve("mysqld.pid");
    }

    private Path logFile() {
        return folder.resolve("server.log");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Interrupted while waiting for a local MariaDB",
                    null, "Run again");
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
