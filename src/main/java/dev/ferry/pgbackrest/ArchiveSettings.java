package dev.ferry.pgbackrest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source's archive settings and what pgBackRest needs of them: {@code wal_level} replica or
 * logical, {@code archive_mode} on (or always), and {@code archive_command} pushing to stanza db
 * with this configuration ({@link PgBackRestOptions#archiveCommand()}).
 */
public record ArchiveSettings(String walLevel, String archiveMode, String archiveCommand) {

    public static final List<String> NAMES = List.of("wal_level", "archive_mode", "archive_command");

    public static ArchiveSettings of(Map<String, String> settings) {
        return new ArchiveSettings(settings.getOrDefault("wal_level", ""), settings.getOrDefault("archive_mode", ""),
                settings.getOrDefault("archive_command", ""));
    }

    boolean walLevelFits() {
        return walLevel.equals("replica") || walLevel.equals("logical");
    }

    boolean archiving() {
        return archiveMode.equals("on") || archiveMode.equals("always");
    }

    /** Whether archive_command hands WAL to pgBackRest's archive-push for stanza db with this configuration. */
    boolean pushesTo(PgBackRestOptions options) {
        String command = archiveCommand.trim();
        boolean config = options.defaultConfig() ? !command.contains("--config") : command.contains("--config=" + options.configFile());
        return command.contains("pgbackrest") && command.contains("--stanza=" + PgBackRestOptions.STANZA)
                && command.contains("archive-push") && command.contains("%p") && config;
    }

    /** Whether everything is as pgBackRest needs it. */
    public boolean ready(PgBackRestOptions options) {
        return walLevelFits() && archiving() && pushesTo(options);
    }

    /** Changing these takes a server restart; archive_command takes a reload. */
    public boolean changeNeedsRestart() {
        return !walLevelFits() || !archiving();
    }

    /** The ALTER SYSTEM settings that make the server ready. */
    public Map<String, String> changes(PgBackRestOptions options) {
        Map<String, String> changes = new LinkedHashMap<>();
        if (!walLevelFits()) {
            changes.put("wal_level", "replica");
        }
        if (!archiving()) {
            changes.put("archive_mode", "on");
        }
        if (!pushesTo(options)) {
            changes.put("archive_command", options.archiveCommand());
        }
        return changes;
    }

    public String describe() {
        return "wal_level=" + walLevel + ", archive_mode=" + archiveMode + ", archive_command='" + archiveCommand + "'";
    }
}
