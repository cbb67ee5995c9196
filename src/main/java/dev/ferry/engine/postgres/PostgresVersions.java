package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ServerVersion;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL version numbers as {@link ServerVersion}s. From 10 on the major is the first number
 * (15.20 → 15); before 10 it was the first two (9.6.24 → 906, so that ordering still holds).
 */
final class PostgresVersions {

    static final String FLAVOUR = "postgresql";
    private static final Pattern TOOL_VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?\\S*");

    private PostgresVersions() {
    }

    /** From {@code server_version_num}, for example 150020 or 90624. */
    static ServerVersion fromVersionNumber(int number) {
        int first = number / 10000;
        if (first >= 10) {
            return new ServerVersion(FLAVOUR, first, first + "." + number % 10000);
        }
        int second = number / 100 % 100;
        return new ServerVersion(FLAVOUR, first * 100 + second, first + "." + second + "." + number % 100);
    }

    /** From a tool's {@code --version} line, for example {@code pg_dump (PostgreSQL) 15.20 (Debian ...)}. */
    static ServerVersion fromToolOutput(String output, String program, String step) {
        Matcher matcher = TOOL_VERSION.matcher(output);
        if (!matcher.find()) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not read the version of " + program,
                    "it printed '" + output.strip() + "'", "Check that " + program + " is PostgreSQL's own program");
        }
        int first = Integer.parseInt(matcher.group(1));
        int major = first >= 10 || matcher.group(2) == null ? first : first * 100 + Integer.parseInt(matcher.group(2));
        String full = matcher.group(0).substring(matcher.group(0).lastIndexOf(' ') + 1);
        return new ServerVersion(FLAVOUR, major, full);
    }
}
