package dev.ferry.pgbackrest;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code pgbackrest} with the rendered configuration, as the OS user that owns the data
 * directory ({@code runuser -u <user> --} when Ferry runs as root). The S3 keys are in the 0600
 * configuration; a database password goes in {@code PGPASSWORD}; argv holds neither.
 */
public final class PgBackRestCli {

    /** What one pgbackrest command printed; stderr is redacted of every known secret. */
    public record Output(String commandLine, int exitCode, String stdout, String stderr) {
    }

    private final PgBackRestOptions options;
    private final String configFile;
    private final String step;

    public PgBackRestCli(PgBackRestOptions options, java.nio.file.Path configFile, String step) {
        this.options = options;
        this.configFile = configFile.toString();
        this.step = step;
    }

    /** {@code pgbackrest version}: for example {@code 2.45}. */
    public static String version(PgBackRestOptions options, String step) {
        ChildCommand command = ChildCommand.of(options.binary(), "version").build();
        String text = ChildProcess.run(command, step, Duration.ofSeconds(30)).strip();
        if (!text.startsWith("pgBackRest ")) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not read the version of " + options.binary(),
                    "it printed '" + text + "'", "Install pgBackRest (apt-get install pgbackrest) or set pgbackrest.binary");
        }
        return text.substring("pgBackRest ".length()).strip();
    }

    /** Runs {@code pgbackrest --config=... --stanza=db <command> <options>} to its end, whatever its exit code. */
    public Output run(String command, List<String> arguments, Secret pgPassword, Duration timeout) {
        List<String> argv = new ArrayList<>();
        if (options.osUser() != null) {
            argv.addAll(List.of("runuser", "-u", options.osUser(), "--"));
        }
        argv.addAll(List.of(options.binary(), "--config=" + configFile, "--stanza=" + PgBackRestOptions.STANZA));
        argv.addAll(arguments);
        argv.add(command);
        ChildCommand.Builder builder = ChildCommand.of(argv.get(0)).args(argv.subList(1, argv.size()));
        if (pgPassword != null) {
            builder.env("PGPASSWORD", pgPassword.reveal());
        }
        ChildCommand child = builder.build();
        ChildProcess.Finished finished = ChildProcess.runToEnd(child, step, timeout);
        return new Output(child.toString(), finished.exitCode(), finished.stdout(), finished.stderr());
    }

    /** Runs a command and fails with pgBackRest's own message unless it exits with 0. */
    public Output require(String command, List<String> arguments, Secret pgPassword, Duration timeout, String what, String next) {
        Output output = run(command, arguments, pgPassword, timeout);
        if (output.exitCode() != 0) {
            String message = firstNonBlank(output.stderr(), output.stdout());
            throw new FerryException(ErrorCode.CHILD_PROCESS, step, what + " (" + output.commandLine() + ")",
                    "exit code " + output.exitCode() + (message.isEmpty() ? "" : ": " + lastLines(message, 6)), next);
        }
        return output;
    }

    private static String firstNonBlank(String first, String second) {
        return first != null && !first.isBlank() ? first.strip() : second == null ? "" : second.strip();
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
