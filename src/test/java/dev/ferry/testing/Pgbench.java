package dev.ferry.testing;

import dev.ferry.local.LocalPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pgbench against a local server: {@link #init} creates its tables, {@link #start} runs its
 * TPC-B-like script at a fixed rate in the background until closed (or its duration ends). The
 * password reaches it in its environment only.
 */
public final class Pgbench implements AutoCloseable {

    private final Process process;
    private final Path log;

    private Pgbench(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    private static Path program(LocalPostgres server) {
        return server.binaries().binDirectory().resolve("pgbench");
    }

    public static void init(LocalPostgres server, String database, int scale) {
        Path log = tempLog();
        Process process = start(server, log, List.of("-i", "-q", "-s", Integer.toString(scale), database));
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("pgbench -i failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code rate} transactions per second from {@code clients} sessions, for at most {@code seconds}. */
    public static Pgbench start(LocalPostgres server, String database, int clients, int rate, int seconds) {
        Path log = tempLog();
        return new Pgbench(start(server, log, List.of("-n", "-c", Integer.toString(clients), "-R", Integer.toString(rate),
                "-T", Integer.toString(seconds), database)), log);
    }

    private static Process start(LocalPostgres server, Path log, List<String> arguments) {
        List<String> command = new java.util.ArrayList<>(List.of(program(server).toString(), "-h", server.host(),
                "-p", Integer.toString(server.port()), "-U", server.superuser()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PGPASSWORD", server.password().reveal());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempLog() {
        try {
            return Files.createTempFile("pgbench-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean running() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
