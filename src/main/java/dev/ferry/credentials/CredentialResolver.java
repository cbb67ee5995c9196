package dev.ferry.credentials;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Finds a secret for a settings prefix, in this order: {@code <key>File} (a file holding only the
 * secret), {@code <key>Env} (an environment variable's name), {@code <key>} (a value in the migration
 * file, usually a placeholder such as {@code {{env:PGPASSWORD}}}). The secret's origin is recorded,
 * never its value.
 */
public final class CredentialResolver {

    private final Settings raw;
    private final Settings resolved;

    public CredentialResolver(Settings raw, Settings resolved) {
        this.raw = raw;
        this.resolved = resolved;
    }

    /** The secret at {@code key} (for example {@code source.password}), or null when none is configured. */
    public Secret find(String key, String step) {
        String file = resolved.find(key + "File").orElse(null);
        if (file != null) {
            return fromFile(key, Path.of(file), step);
        }
        String env = resolved.find(key + "Env").orElse(null);
        if (env != null) {
            String value = System.getenv(env);
            if (value == null) {
                throw new FerryException(ErrorCode.CREDENTIALS, step, "Environment variable " + env + " is not set",
                        key + "Env names it", "Export " + env + " before running Ferry");
            }
            return Secret.of(value, "env:" + env);
        }
        String value = resolved.find(key).orElse(null);
        if (value == null) {
            return null;
        }
        String written = raw.find(key).orElse("");
        String origin = written.contains("{{") ? "placeholder " + written : "migration file (" + key + ")";
        return Secret.of(value, origin);
    }

    private static Secret fromFile(String key, Path file, String step) {
        try {
            String content = Files.readString(file).strip();
            if (content.isEmpty()) {
                throw new FerryException(ErrorCode.CREDENTIALS, step, "The file " + file + " is empty", key + "File names it",
                        "Write the secret into the file");
            }
            return Secret.of(content, "file:" + file);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, "Cannot read " + key + "File " + file, e.getClass().getSimpleName(),
                    "Check the path and that Ferry may read it");
        }
    }

    /** Whether a secret file can be read by others than its owner (worth a warning). */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
