package dev.ferry.backup;

/**
 * What a restore's {@code safety-backup} step did: the backup of the target it took before the restore
 * ({@code id} and {@code uri}), or, when it took none, why ({@code skipped}).
 */
public record SafetyBackup(String id, String uri, String skipped) {

    /** The manifest figure that marks a safety backup, naming the backup whose restore it preceded. */
    public static final String FIGURE = "safetyBackupBefore";
}
