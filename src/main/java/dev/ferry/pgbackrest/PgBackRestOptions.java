package dev.ferry.pgbackrest;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code pgbackrest.*} settings: which program, as which OS user, where its configuration,
 * log and lock folders live, where the repository lies in the bucket, and how to back up.
 */
public record PgBackRestOptions(String binary, String osUser, Path configFile, Path logPath, Path lockPath,
                                String repoPath, int processMax, String compressType, String backupType,
                                boolean configureArchiving, String restartCommand, Duration timeout) {

    /** Ferry's one stanza: Everest's importer wants {@code db}, and the charm takes the first stanza under the path. */
    public static final String STANZA = "db";
    public static final Path DEFAULT_CONFIG = Path.of("/etc/pgbackrest/pgbackrest.conf");

    public static PgBackRestOptions read(Settings settings, String prefix, String step) {
        String backupType = settings.get("pgbackrest.backupType", "full").trim().toLowerCase(Locale.ROOT);
        if (!backupType.equals("full") && !backupType.equals("diff") && !backupType.equals("incr")) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown pgbackrest.backupType '" + backupType + "'", null,
                    "Use full (the default), diff or incr (diff and incr need an earlier full backup in the repository)");
        }
        int processMax = settings.getInt("pgbackrest.processMax", 2, step);
        if (processMax < 1) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "pgbackrest.processMax must be 1 or more", "it is " + processMax,
                    "Give the number of processes pgBackRest may use to copy files, for example 2");
        }
        String defaultUser = isRoot() ? "postgres" : "";
        String osUser = settings.get("pgbackrest.osUser", defaultUser).trim();
        return new PgBackRestOptions(settings.get("pgbackrest.binary", "pgbackrest"), osUser.isEmpty() ? null : osUser,
                Path.of(settings.get("pgbackrest.configFile", DEFAULT_CONFIG.toString())),
                Path.of(settings.get("pgbackrest.logPath", "/var/log/pgbackrest")),
                Path.of(settings.get("pgbackrest.lockPath", "/tmp/pgbackrest")),
                repoPath(settings.get("pgbackrest.repoPath", prefix)),
                processMax, settings.get("pgbackrest.compressType", "zst"), backupType,
                settings.getBoolean("pgbackrest.configureArchiving", false, step),
                settings.find("pgbackrest.restartCommand").orElse(null),
                Duration.ofMinutes(settings.getInt("timeoutMinutes", 24 * 60, step)));
    }

    /** {@code repo1-path}: always absolute, no trailing slash ({@code /} for the bucket's root). */
    static String repoPath(String path) {
        String trimmed = path == null ? "" : path.trim().replaceAll("/+", "/");
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        return "/" + trimmed;
    }

    /** The same options for a repository at another path (a restore reads the path the backup names). */
    public PgBackRestOptions withRepoPath(String otherPath) {
        return new PgBackRestOptions(binary, osUser, configFile, logPath, lockPath, repoPath(otherPath), processMax, compressType,
                backupType, configureArchiving, restartCommand, timeout);
    }

    /** The same options with another configuration file. */
    public PgBackRestOptions withConfigFile(Path otherFile) {
        return new PgBackRestOptions(binary, osUser, otherFile, logPath, lockPath, repoPath, processMax, compressType,
                backupType, configureArchiving, restartCommand, timeout);
    }

    /** Whether the configuration is pgBackRest's default file, which archive_command finds without --config. */
    public boolean defaultConfig() {
        return configFile.equals(DEFAULT_CONFIG);
    }

    /** The archive_command the source needs for this configuration. */
    public String archiveCommand() {
        return binaryForServer() + (defaultConfig() ? "" : " --config=" + configFile) + " --stanza=" + STANZA + " archive-push %p";
    }

    private String binaryForServer() {
        return binary.contains("/") ? binary : "pgbackrest";
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
