package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ServerVersion;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB version texts as {@link ServerVersion}s: flavour {@code mariadb} when the text
 * says MariaDB, else {@code mysql} (Percona Server and XtraDB Cluster are MySQL); the major is the
 * first two numbers as first × 100 + second (MariaDB 10.11.6 → 1011, MySQL 8.0.36 → 800).
 */
final class MySqlVersions {

    static final String MARIADB = "mariadb";
    static final String MYSQL = "mysql";

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?\\S*");
    /** MariaDB's tools: "Ver 10.19 Distrib 10.11.6-MariaDB,"; MySQL 5.7's: "Ver 10.13 Distrib 5.7.44,". */
    private static final Pattern DISTRIB = Pattern.compile("Distrib\\s+(\\d+\\.\\d+(?:\\.\\d+)?[^,\\s]*)");
    /** MariaDB 11's tools: "mariadb-dump from 11.4.2-MariaDB, client 10.19 ...". */
    private static final Pattern FROM = Pattern.compile("\\bfrom\\s+(\\d+\\.\\d+(?:\\.\\d+)?[^,\\s]*)");
    /** MySQL 8's tools: "mysqldump  Ver 8.0.36 for Linux on x86_64 (...)". */
    private static final Pattern VER = Pattern.compile("\\bVer\\s+(\\d+\\.\\d+(?:\\.\\d+)?[^,\\s]*)");
    /** Some MariaDB servers report a MySQL-compatible prefix over the wire. */
    private static final String COMPAT_PREFIX = "5.5.5-";

    private MySqlVersions() {
    }

    /** From {@code SELECT VERSION(), @@version_comment}, for example "10.11.6-MariaDB-0+deb12u1" and "Debian 12". */
    static ServerVersion fromServer(String version, String comment) {
        String text = version.strip();
        boolean mariadb = isMariaDb(text) || isMariaDb(comment == null ? "" : comment);
        if (mariadb && text.startsWith(COMPAT_PREFIX)) {
            text = text.substring(COMPAT_PREFIX.length());
        }
        Matcher matcher = NUMBERS.matcher(text);
        if (!matcher.lookingAt()) {
            throw new FerryException(ErrorCode.VERSION_MISMATCH, null, "Could not read the server version '" + text + "'",
                    null, "Check that the server is MySQL or MariaDB");
        }
        return new ServerVersion(mariadb ? MARIADB : MYSQL, major(matcher), text);
    }

    /** From a dump tool's or client's {@code --version} line. */
    static ServerVersion fromToolOutput(String output, String program, String step) {
        String text = output.strip();
        Matcher matcher = DISTRIB.matcher(text);
        if (!matcher.find()) {
            matcher = FROM.matcher(text);
            if (!matcher.find()) {
                matcher = VER.matcher(text);
                if (!matcher.find()) {
                    throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not read the version of " + program,
                            "it printed '" + text + "'", "Check that " + program + " is MySQL's or MariaDB's own program");
                }
            }
        }
        String full = matcher.group(1);
        Matcher numbers = NUMBERS.matcher(full);
        numbers.lookingAt();
        return new ServerVersion(isMariaDb(text) ? MARIADB : MYSQL, major(numbers), full);
    }

    private static int major(Matcher numbers) {
        return Integer.parseInt(numbers.group(1)) * 100 + Integer.parseInt(numbers.group(2));
    }

    private static boolean isMariaDb(String text) {
        return text.toLowerCase(Locale.ROOT).contains("mariadb");
    }
}
