package dev.ferry.backup;

import dev.ferry.local.LocalDatabaseServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps as the hosting add-on makes them, with the real tools: {@code pg_dumpall --clean --if-exists |
 * gzip} and {@code mariadb-dump --single-transaction --quote-names --opt --all-databases | gzip}. The
 * password goes through the tools' environment variable, never the command line.
 */
final class AddonArchives {

    private AddonArchives() {
    }

    static Path pgDumpall(LocalDatabaseServer server, Path file) {
        return run(file, "pg_dumpall --clean --if-exists -h \"$1\" -p \"$2\" -U \"$3\" | gzip > \"$4\"",
                server, Map.of("PGPASSWORD", server.password().reveal()));
    }

    static Path mariadbDump(LocalDatabaseServer server, Path file) {
        return run(file, "mariadb-dump --single-transaction --quote-names --opt --all-databases -h \"$1\" -P \"$2\" -u \"$3\""
                + " | gzip > \"$4\"", server, Map.of("MYSQL_PWD", server.password().reveal()));
    }

    private static Path run(Path file, String pipeline, LocalDatabaseServer server, Map<String, String> environment) {
        try {
            Files.createDirectories(file.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-c", "set -o pipefail; " + pipeline, "dump",
                    server.host(), String.valueOf(server.port()), server.superuser(), file.toString()))
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the dump ends within 2 minutes").isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(Files.size(file)).isPositive();
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
