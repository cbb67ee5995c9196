package dev.ferry.runtime;

import java.util.Map;
import java.util.Set;

import static dev.ferry.runtime.Variables.ARTIFACT;
import static dev.ferry.runtime.Variables.BACKUP;
import static dev.ferry.runtime.Variables.BACKUP_LABEL;
import static dev.ferry.runtime.Variables.REPOSITORY;
import static dev.ferry.runtime.Variables.DUMP;
import static dev.ferry.runtime.Variables.EVEREST;
import static dev.ferry.runtime.Variables.FREEZE;
import static dev.ferry.runtime.Variables.SWITCH;
import static dev.ferry.runtime.Variables.IMPORT;
import static dev.ferry.runtime.Variables.SMOKE;
import static dev.ferry.runtime.Variables.SOURCE;
import static dev.ferry.runtime.Variables.SOURCE_VERSION;
import static dev.ferry.runtime.Variables.STORE;
import static dev.ferry.runtime.Variables.TARGET;
import static dev.ferry.runtime.Variables.TARGET_VERSION;
import static dev.ferry.runtime.Variables.TOOL_VERSION;
import static dev.ferry.runtime.Variables.VERSION_VERDICT;

/**
 * The contracts of the steps a pipeline may use, by step id; a pipeline may give one of its step
 * ids a contract of its own (postgres-physical's import reads a physical backup, not an artifact).
 */
public final class StepContracts {

    private static final Map<String, StepContract> CONTRACTS = Map.ofEntries(
            Map.entry("collect-credentials", new StepContract("collect-credentials", Set.of(), Set.of(SOURCE, TARGET, STORE),
                    Set.of(SOURCE, TARGET, STORE), true,
                    "collects the source's, target's and object store's credentials (kept in memory only)")),
            Map.entry("preflight", new StepContract("preflight", Set.of(SOURCE, TARGET, STORE),
                    Set.of(SOURCE_VERSION, TARGET_VERSION, TOOL_VERSION), Set.of(), true,
                    "connects to both databases and the bucket, probes versions and tools, checks the target is empty")),
            Map.entry("dump", new StepContract("dump", Set.of(SOURCE, SOURCE_VERSION, TOOL_VERSION), Set.of(DUMP), Set.of(DUMP), false,
                    "starts the dump tools; their output streams straight into the upload")),
            Map.entry("upload", new StepContract("upload", Set.of(DUMP, STORE), Set.of(ARTIFACT), Set.of(), false,
                    "streams the dump into S3 (multipart, zstd, SHA-256 while streaming), writes manifest.json last")),
            Map.entry("verify-versions", new StepContract("verify-versions", Set.of(ARTIFACT, TARGET_VERSION), Set.of(VERSION_VERDICT),
                    Set.of(), false, "checks the artifact's server and tool versions against the target by the version policy")),
            Map.entry("import", new StepContract("import", Set.of(ARTIFACT, TARGET, STORE, VERSION_VERDICT), Set.of(IMPORT), Set.of(), false,
                    "restores the artifact into the target, verifying every checksum before the target commits")),
            Map.entry("smoke-test", new StepContract("smoke-test", Set.of(TARGET, ARTIFACT), Set.of(SMOKE), Set.of(), false,
                    "compares the target with the dump's snapshot figures: every table's rows and content, counters, and every"
                            + " object class (columns, constraints, indexes, triggers, views, routines, types, comments, ...)")),
            // the cutover pipelines
            Map.entry("window-gate", new StepContract("window-gate", Set.of(), Set.of(), Set.of(), false,
                    "refuses to start outside cutover.window or when the estimate from earlier rehearsals ends past it"
                            + " (before anything connects)")),
            Map.entry("freeze-source", new StepContract("freeze-source", Set.of(SOURCE), Set.of(FREEZE), Set.of(), false,
                    "checks the size-scaled estimate against the window, journals the intent, then makes the source refuse writes"
                            + " (not in a rehearsal)")),
            Map.entry("point-of-no-return", new StepContract("point-of-no-return", Set.of(), Set.of(), Set.of(), false,
                    "checks the window again before the switch: past its end the run fails and the freeze is released")),
            Map.entry("switch", new StepContract("switch", Set.of(TARGET, SMOKE), Set.of(SWITCH), Set.of(), false,
                    "points the application at the target: a Kubernetes Secret or ConfigMap, or a command (not in a rehearsal)")),
            Map.entry("release-source", new StepContract("release-source", Set.of(), Set.of(), Set.of(), false,
                    "always runs: releases the freeze after a failure (or after the switch with cutover.afterSwitch: release)"
                            + " and reports how long writes were frozen")),
            Map.entry("notify", new StepContract("notify", Set.of(), Set.of(), Set.of(), false,
                    "always runs: posts the run's summary to notify.url, or sends it to notify.endpoint")),
            // the Everest pipelines: the target does not exist before the import, so nothing probes it before
            Map.entry("collect-source-credentials", new StepContract("collect-source-credentials", Set.of(), Set.of(SOURCE, STORE),
                    Set.of(SOURCE, STORE), true, "collects the source's and the object store's credentials (kept in memory only)")),
            Map.entry("everest-preflight", new StepContract("everest-preflight", Set.of(SOURCE, STORE),
                    Set.of(SOURCE_VERSION, TOOL_VERSION, EVEREST), Set.of(), true,
                    "connects to the source and the bucket, probes versions, and checks Everest: the importer, its config and "
                            + "required fields, an engine version that fits the source")),
            Map.entry("everest-import", new StepContract("everest-import", Set.of(ARTIFACT, STORE), Set.of(TARGET, IMPORT),
                    Set.of(TARGET), false, "creates the Everest cluster that imports the artifact through a DataImporter, follows it"
                            + " to ready, and hands on the new cluster as the target")));

    /** The physical pipeline: a pgBackRest repository and backup take the place of the dump and its artifact. */
    private static final Map<String, StepContract> PHYSICAL = Map.of(
            "setup", new StepContract("setup", Set.of(SOURCE, STORE, SOURCE_VERSION), Set.of(REPOSITORY), Set.of(), false,
                    "writes the pgBackRest configuration (0600), checks or applies the source's archive settings, stanza-create, check"),
            "backup", new StepContract("backup", Set.of(SOURCE, REPOSITORY), Set.of(BACKUP_LABEL), Set.of(), false,
                    "runs pgbackrest backup (full unless pgbackrest.backupType says diff or incr) into the repository"),
            "info", new StepContract("info", Set.of(REPOSITORY, BACKUP_LABEL), Set.of(BACKUP), Set.of(), false,
                    "reads pgbackrest info --output=json: any status other than ok fails; the backup's label, system id and versions"),
            "verify-versions", new StepContract("verify-versions", Set.of(BACKUP, TARGET_VERSION, REPOSITORY), Set.of(VERSION_VERDICT),
                    Set.of(), false, "checks the backup's PostgreSQL major version is the target's (identical) and its system id the source's"),
            "import", new StepContract("import", Set.of(BACKUP, TARGET, STORE, VERSION_VERDICT), Set.of(IMPORT), Set.of(), false,
                    "restores the physical backup: into an empty data directory (pgbackrest restore) or through a charm's restore action"),
            "smoke-test", new StepContract("smoke-test", Set.of(SOURCE, TARGET), Set.of(SMOKE), Set.of(), false,
                    "compares the target with the live source (a physical backup carries no snapshot figures): every table's rows"
                            + " and content, counters and every object class"));

    /**
     * The physical pipeline into Everest: the same repository, backup and info steps, then the
     * built-in importer restores the backup into the new cluster, so the import reads {@code ferry.backup}.
     */
    private static final Map<String, StepContract> PHYSICAL_TO_EVEREST = Map.of(
            "setup", PHYSICAL.get("setup"),
            "backup", PHYSICAL.get("backup"),
            "info", PHYSICAL.get("info"),
            "everest-import", new StepContract("everest-import", Set.of(BACKUP, STORE), Set.of(TARGET, IMPORT), Set.of(TARGET), false,
                    "checks the full backup is in the bucket, creates the Everest cluster whose built-in importer restores it,"
                            + " follows it to ready, and hands on the new cluster as the target"),
            "smoke-test", PHYSICAL.get("smoke-test"));

    private static final Map<String, Map<String, StepContract>> BY_PIPELINE = Map.of("postgres-physical", PHYSICAL,
            "postgres-physical-to-everest", PHYSICAL_TO_EVEREST);

    private StepContracts() {
    }

    public static StepContract of(String stepId) {
        return CONTRACTS.getOrDefault(stepId, StepContract.none(stepId));
    }

    /** The contract of a step of the given pipeline: its own, else the common one. */
    public static StepContract of(String pipelineId, String stepId) {
        StepContract own = BY_PIPELINE.getOrDefault(pipelineId, Map.of()).get(stepId);
        return own != null ? own : of(stepId);
    }
}
