package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where artifacts sit in a bucket: {@code <prefix>/<database>/<yyyyMMdd'T'HHmmss'Z'>-<run id>/}, the
 * timestamp in UTC so that names sort by time, the run id so that no two runs share a folder
 * (folders without a run id, from older Ferry versions, are read too). Keys have no leading slash and
 * no empty segments.
 */
public final class ArtifactLayout {

    public static final String MANIFEST_NAME = "manifest.json";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final java.util.regex.Pattern FOLDER_NAME =
            java.util.regex.Pattern.compile("(\\d{8}T\\d{6}Z)(?:-([A-Za-z0-9][A-Za-z0-9_-]*))?");
    private static final java.util.regex.Pattern RUN = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private ArtifactLayout() {
    }

    /** {@code "/a//b/"} becomes {@code "a/b"}; null or blank becomes {@code ""}. */
    public static String normalisePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        return Arrays.stream(prefix.split("/")).filter(segment -> !segment.isBlank()).collect(Collectors.joining("/"));
    }

    /** The folder holding every artifact of one database, with a trailing slash. */
    public static String databaseFolder(String prefix, String database) {
        String normalised = normalisePrefix(prefix);
        return (normalised.isEmpty() ? "" : normalised + "/") + checkDatabase(database) + "/";
    }

    public static ArtifactFolder folder(String prefix, String database, Instant createdAt) {
        return new ArtifactFolder(prefix, database, createdAt);
    }

    public static ArtifactFolder folder(String prefix, String database, Instant createdAt, String run) {
        return new ArtifactFolder(prefix, database, createdAt, run);
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    public static Optional<Instant> parseTimestamp(String text) {
        try {
            return Optional.of(Instant.from(TIMESTAMP.parse(text)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The artifact folder a key (a folder path or an object in it) belongs to, if it follows the layout. */
    public static Optional<ArtifactFolder> parse(String key) {
        String[] segments = normalisePrefix(key).split("/");
        for (int i = segments.length - 1; i >= 1; i--) {
            java.util.regex.Matcher name = FOLDER_NAME.matcher(segments[i]);
            Optional<Instant> createdAt = name.matches() ? parseTimestamp(name.group(1)) : Optional.empty();
            if (createdAt.isPresent()) {
                String prefix = String.join("/", Arrays.copyOfRange(segments, 0, i - 1));
                return Optional.of(new ArtifactFolder(prefix, segments[i - 1], createdAt.get(), name.group(2)));
            }
        }
        return Optional.empty();
    }

    static String checkRun(String run) {
        if (!RUN.matcher(run).matches()) {
            throw new FerryException(ErrorCode.BAD_INPUT, "storage", "Run id '" + run + "' cannot name an artifact folder",
                    "it must be letters, digits, '-' and '_'", "Use the run id Ferry made");
        }
        return run;
    }

    static String checkDatabase(String database) {
        if (database == null || database.isBlank() || database.contains("/") || database.equals(".") || database.equals("..")) {
            throw new FerryException(ErrorCode.BAD_INPUT, "storage", "Database name '" + database + "' cannot name an artifact folder",
                    "it must be non-empty and contain no '/'", "Fix the database name");
        }
        return database;
    }
}
