package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Whether a migration file changed between a run's start and its resume, and how, in words. */
final class MigrationFileChange {

    private MigrationFileChange() {
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot read the migration file " + file, e.getMessage(),
                    "Check the path");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Null when the file is as the run began (or the run predates the check); else what differs. */
    static String describe(JournalEvent.RunStart start, Map<String, String> settingsNow) {
        if (start.migrationSha256() == null) {
            return null;
        }
        String now = sha256(Path.of(start.migrationFile()));
        if (now.equals(start.migrationSha256())) {
            return null;
        }
        List<String> changes = new ArrayList<>();
        Map<String, String> before = start.settings() == null ? Map.of() : start.settings();
        for (String key : new TreeSet<>(union(before, settingsNow))) {
            String was = before.get(key);
            String is = settingsNow.get(key);
            if (!Objects.equals(was, is)) {
                changes.add(key + ": " + (was == null ? "(not set)" : was) + " -> " + (is == null ? "(not set)" : is));
            }
        }
        String digest = "SHA-256 " + start.migrationSha256().substring(0, 12) + "… then, now " + now.substring(0, 12) + "…";
        return changes.isEmpty() ? "its content changed (" + digest + ") but no setting did: a route, a comment or a secret value"
                : "changed settings: " + String.join(", ", changes) + " (" + digest + ")";
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
