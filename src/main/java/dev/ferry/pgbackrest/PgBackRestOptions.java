package dev.ferry.pgbackrest;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.process.ToolTimeout;
import dev.ferry.runtime.Settings;
import dev.ferry.spec.Setting;

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

    static final Setting BACKUP_TYPE = Setting.choice("pgbackrest.backupType", "full",
            "full, or diff / incr on top of an earlier full backup in the repository", "full", "diff", "incr");
    static final Setting PROCESS_MAX = Setting.integer("pgbackrest.processMax", 2, "how many processes pgBackRest may use to copy files");
    static final Setting OS_USER = Setting.text("pgbackrest.osUser", null, "the OS user pgBackRest runs as; default postgres when Ferry runs as root");
    static final Setting BINARY = Setting.text("pgbackrest.binary", "pgbackrest", "the pgBackRest program");
    static final Setting CONFIG_FILE = Setting.text("pgbackrest.configFile", DEFAULT_CONFIG.toString(), "the configuration Ferry writes (0600)");
    static final Setting LOG_PATH = Setting.text("pgbackrest.logPath", "/var/log/pgbackrest", "pgBackRest's log folder");
    static final Setting LOCK_PATH = Setting.text("pgbackrest.lockPath", "/tmp/pgbackrest", "pgBackRest's lock folder");
    static final Setting REPO_PATH = Setting.text("pgbackrest.repoPath", null, "the repository's path in the bucket; default the migration's storage prefix");
    static final Setting COMPRESS_TYPE = Setting.choice("pgbackrest.compressType", "zst", "how pgBackRest compresses the backup",
            "zst", "lz4", "gz", "bz2", "none");
    static final Setting CONFIGURE_ARCHIVING = Setting.flag("pgbackrest.configureArchiving", false,
            "apply archive_mode/archive_command with ALTER SYSTEM (a restart for archive_mode needs pgbackrest.restartCommand)");
    static final Setting RESTART_COMMAND = Setting.text("pgbackrest.restartCommand", null,
            "the command that restarts the source after archive_mode changed");
    public static final Setting PG_PATH = Setting.text("pgbackrest.pgPath", null, "the source's data directory; default what the server reports");
    public static final Setting SOCKET_PATH = Setting.text("pgbackrest.socketPath", null, "the source's socket folder for pgBackRest");

    public static final java.util.List<Setting> SETTINGS = java.util.List.of(BACKUP_TYPE, PROCESS_MAX, OS_USER, BINARY, CONFIG_FILE,
            LOG_PATH, LOCK_PATH, REPO_PATH, COMPRESS_TYPE, CONFIGURE_ARCHIVING, RESTART_COMMAND, PG_PATH, SOCKET_PATH, ToolTimeout.MINUTES);

    public static PgBackRestOptions read(Settings settings, String prefix, String step) {
        String backupType = BACKUP_TYPE.text(settings).trim().toLowerCase(Locale.ROOT);
        if (!backupType.equals("full") && !backupType.equals("diff") && !backupType.equals("incr")) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown pgbackrest.backupType '" + backupType + "'", null,
                    "Use full (the default), diff or incr (diff and incr need an earlier full backup in the repository)");
        }
        int processMax = PROCESS_MAX.intValue(settings, step);
        if (processMax < 1) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "pgbackrest.processMax must be 1 or more", "it is " + processMax,
                    "Give the number of processes pgBackRest may use to copy files, for example 2");
        }
        String defaultUser = isRoot() ? "postgres" : "";
        String osUser = settings.get(OS_USER.key(), defaultUser).trim();
        return new PgBackRestOptions(BINARY.text(settings), osUser.isEmpty() ? null : osUser,
                Path.of(CONFIG_FILE.text(settings)),
                Path.of(LOG_PATH.text(settings)),
                Path.of(LOCK_PATH.text(settings)),
                repoPath(settings.get(REPO_PATH.key(), prefix)),
                processMax, COMPRESS_TYPE.text(settings), backupType,
                CONFIGURE_ARCHIVING.flag(settings, step),
                settings.find(RESTART_COMMAND.key()).orElse(null),
                ToolTimeout.of(settings, step));
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
