package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.process.ChildCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection settings of a MySQL or MariaDB client program, in a private options file named
 * by {@code --defaults-extra-file} (which both flavours' programs accept only as their first
 * option). The password goes in that file only: never on argv (visible to every user through
 * {@code ps}) nor in {@code MYSQL_PWD} (deprecated, and visible through {@code /proc/PID/environ}
 * to the same user).
 *
 * <p>The "file" is a named pipe ({@link MySqlOptionPipe}) in a folder of its own (0700) under the
 * temp folder: the program reads the settings from it once, and it is unlinked the moment the
 * program opened it, so nothing holding the password is ever on disk, and a SIGKILLed Ferry leaves
 * none behind. Whoever builds a command with this class must still call
 * {@link #release(ChildCommand)} (or {@link dev.ferry.engine.Engine#release(ChildCommand)}) once the
 * command has ended, or when it will not be run at all, to end the wait of a pipe nobody read; a
 * JVM shutdown hook does that for whatever is left. A command runs once, by the process that built it.
 *
 * <p>Because the file is an <em>extra</em> file, the programs also read the machine's and the
 * user's option files (for example {@code /etc/mysql/my.cnf}, {@code ~/.my.cnf}); this file is read
 * last, so its settings win over theirs.
 */
public final class MySqlToolOptions {

    static final String OPTION = "--defaults-extra-file=";
    private static final Map<Path, MySqlOptionPipe> OUTSTANDING = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(MySqlToolOptions::releaseAll, "delete-mysql-option-files"));
    }

    private MySqlToolOptions() {
    }

    /**
     * A command running {@code program} against {@code endpoint}, its options file written and named
     * as the first option. {@code toolFlavour} says how the program spells the TLS options.
     */
    static ChildCommand.Builder command(String program, DatabaseEndpoint endpoint, String toolFlavour) {
        String text = contents(endpoint, toolFlavour, MySqlTls.of(endpoint, null));
        Path file = write(text, endpoint);
        return ChildCommand.of(program, OPTION + file);
    }

    /** The options pipe a command names, if it is one of ours not released yet (it is gone once read). */
    public static Optional<Path> optionsFile(ChildCommand command) {
        List<String> argv = command.argv();
        if (argv.size() < 2 || !argv.get(1).startsWith(OPTION)) {
            return Optional.empty();
        }
        Path file = Path.of(argv.get(1).substring(OPTION.length()));
        return OUTSTANDING.containsKey(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * Ends the options pipe of a command built here (and deletes its folder). Call it when the command
     * has ended, or instead of running it; calling it again, or for any other command, does nothing.
     */
    public static void release(ChildCommand command) {
        optionsFile(command).ifPresent(MySqlToolOptions::delete);
    }

    /** How many options files exist that no one has released yet. */
    public static int outstanding() {
        return OUTSTANDING.size();
    }

    static String contents(DatabaseEndpoint endpoint, String toolFlavour, MySqlTls tls) {
        StringBuilder text = new StringBuilder("[client]\n");
        line(text, "user", endpoint.user());
        if (endpoint.password() != null) {
            line(text, "password", endpoint.password().reveal());
        }
        line(text, "host", endpoint.host());
        text.append("port=").append(endpoint.port()).append('\n');
        // "localhost" would otherwise mean the local socket
        text.append("protocol=TCP\n");
        if (MySqlVersions.MARIADB.equals(toolFlavour)) {
            mariaDbTls(text, tls);
        } else {
            mySqlTls(text, tls);
        }
        if (tls.ca() != null) {
            line(text, "ssl-ca", tls.ca());
        }
        return text.toString();
    }

    private static void mariaDbTls(StringBuilder text, MySqlTls tls) {
        if (tls.mode() == null) {
            return;
        }
        switch (tls.mode()) {
            case "disable" -> text.append("skip-ssl\n");
            case "trust" -> text.append("ssl\nskip-ssl-verify-server-cert\n");
            // MariaDB's programs have no check of the CA alone: verify-ca checks the host name too
            default -> text.append("ssl\nssl-verify-server-cert\n");
        }
    }

    private static void mySqlTls(StringBuilder text, MySqlTls tls) {
        if (tls.mode() == null) {
            return;
        }
        String mode = switch (tls.mode()) {
            case "disable" -> "DISABLED";
            case "trust" -> "REQUIRED";
            case "verify-ca" -> "VERIFY_CA";
            default -> "VERIFY_IDENTITY";
        };
        text.append("ssl-mode=").append(mode).append('\n');
    }

    /** A quoted option value: the programs undo these escapes inside double quotes. */
    private static void line(StringBuilder text, String name, String value) {
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        text.append(name).append("=\"").append(escaped).append("\"\n");
    }

    private static Path write(String text, DatabaseEndpoint endpoint) {
        try {
            MySqlOptionPipe pipe = MySqlOptionPipe.open(text);
            OUTSTANDING.put(pipe.path(), pipe);
            return pipe.path();
        } catch (IOException | UnsupportedOperationException e) {
            throw new FerryException(ErrorCode.INTERNAL, null, "Could not create the client options pipe for "
                    + endpoint.describe(), e.getMessage(), "Check that mkfifo (coreutils) is installed, and the free space"
                    + " and permissions of " + System.getProperty("java.io.tmpdir"));
        }
    }

    private static void delete(Path file) {
        MySqlOptionPipe pipe = OUTSTANDING.remove(file);
        if (pipe != null) {
            pipe.close();
        }
    }

    private static void releaseAll() {
        List.copyOf(OUTSTANDING.keySet()).forEach(MySqlToolOptions::delete);
    }
}
