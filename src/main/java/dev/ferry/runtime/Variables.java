package dev.ferry.runtime;

/** Names of the exchange variables steps read and set: the step contracts' vocabulary. */
public final class Variables {

    public static final String RUN = "ferry.run";
    public static final String SOURCE = "ferry.source";
    public static final String TARGET = "ferry.target";
    public static final String STORE = "ferry.store";
    public static final String SOURCE_VERSION = "ferry.source.version";
    public static final String TARGET_VERSION = "ferry.target.version";
    public static final String TOOL_VERSION = "ferry.tool.version";
    public static final String DUMP = "ferry.dump";
    public static final String ARTIFACT = "ferry.artifact";
    public static final String VERSION_VERDICT = "ferry.versions";
    public static final String IMPORT = "ferry.import";
    public static final String SMOKE = "ferry.smoke";
    /** The artifact just written, read back and every object's SHA-256 matched with its manifest (backup pipelines). */
    public static final String CHECK = "ferry.check";
    /** What a backup's retention kept and deleted. */
    public static final String RETENTION = "ferry.retention";
    /** The backup of the target taken before a restore over it ({@code dev.ferry.backup.SafetyBackup}), or why none was. */
    public static final String SAFETY = "ferry.safety";
    /** A hosting add-on's dump chosen for a restore ({@code dev.ferry.backup.BackupCatalog.Backup}, state foreign). */
    public static final String ADDON_DUMP = "ferry.addon.dump";
    /** A pgBackRest repository set up for the source (physical pipelines). */
    public static final String REPOSITORY = "ferry.repository";
    /** The label of the backup just made, for example {@code 20250702-085755F}. */
    public static final String BACKUP_LABEL = "ferry.backup.label";
    /** A physical backup as its repository describes it: label, system id, versions, where it lives. */
    public static final String BACKUP = "ferry.backup";
    public static final String EVEREST = "ferry.everest";
    /**
     * The source's write freeze of a cutover ({@code dev.ferry.engine.SourceFreeze}; {@code frozen} false in a rehearsal):
     * while it holds, the smoke test compares with the live source too.
     */
    public static final String FREEZE = "ferry.freeze";
    /**
     * An online cutover's change stream ({@code dev.ferry.engine.ChangeStream}): the slot and publication
     * on the source and the subscription on the target, named after the run.
     */
    public static final String CHANGES = "ferry.changes";
    /** What a cutover's switch step pointed at the target. */
    public static final String SWITCH = "ferry.switch";

    private Variables() {
    }
}
