package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.Settings;
import dev.ferry.runtime.Variables;
import dev.ferry.smoke.CustomCheck;
import dev.ferry.smoke.SnapshotFigures;
import dev.ferry.smoke.Verification;
import dev.ferry.storage.ArtifactRef;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ferry:smoke-test}: compares the target with its artifact's snapshot figures — what the
 * dump holds, read in the dump's own snapshot — so a source that kept taking writes does not make
 * a faithful copy fail. Every object class the engine fingerprints is compared and each difference
 * named; what the engine cannot compare is listed as not compared. The live source is compared
 * too only when the run froze its writes ({@code ferry.freeze}) or {@code smoke.against} says
 * {@code live} (instead) or {@code both}. Reads {@code ferry.target} and {@code ferry.artifact}
 * (or the {@code artifact} setting); sets {@code ferry.smoke}.
 */
public final class SmokeTestStep implements FerryStep {

    public static final String AGAINST_SNAPSHOT = "snapshot";
    public static final String AGAINST_LIVE = "live";
    public static final String AGAINST_BOTH = "both";

    public static final Setting CHECKSUMS = Setting.flag("smoke.checksums", true, "compare per-table content checksums, not only row counts");
    public static final Setting AGAINST = Setting.choice("smoke.against", "snapshot",
            "snapshot: the figures read in the dump's own snapshot; live: the source as it is now (stop its writes first); both",
            "snapshot", "live", "both");
    public static final Setting JOBS = Setting.integer("smoke.jobs", 2, "sessions per server that read tables side by side");
    public static final Setting CHECKSUMS_OPTION = Setting.flag("checksums", true, "overrides smoke.checksums for this use of the step");
    public static final Setting AGAINST_OPTION = Setting.choice("against", "snapshot",
            "overrides smoke.against for this use of the step (an online cutover compares the drained target with the live source)",
            "snapshot", "live", "both");

    public static final StepSpec SPEC = new StepSpec("smoke-test",
            "compares the target with the dump's snapshot figures (or the live source): every table's rows and content, counters,"
                    + " and every object class (columns, constraints, indexes, triggers, views, routines, types, comments, ...)",
            (settings, options) -> {
                String against = options.getOrDefault(AGAINST_OPTION.key(), settings.get(AGAINST.key(), AGAINST.defaultValue()));
                Set<String> reads = new java.util.LinkedHashSet<>(List.of(Variables.TARGET));
                if (!AGAINST_LIVE.equals(against)) {
                    reads.add(Variables.ARTIFACT);
                }
                if (!AGAINST_SNAPSHOT.equals(against)) {
                    reads.add(Variables.SOURCE);
                }
                return StepSpec.Contract.of(Set.copyOf(reads), Set.of(Variables.SMOKE));
            }, List.of(CHECKSUMS_OPTION, AGAINST_OPTION), List.of(CHECKSUMS, AGAINST, JOBS));

    private static String against(Settings settings, String step) {
        String against = AGAINST.choice(settings, step);
        if (!List.of(AGAINST_SNAPSHOT, AGAINST_LIVE, AGAINST_BOTH).contains(against)) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "smoke.against is '" + against + "'", null,
                    "Use snapshot (the dump's own figures), live (the source as it is now) or both");
        }
        return against;
    }

    @Override
    public void execute(StepExecution execution) {
        String step = execution.stepId();
        DatabaseEndpoint target = execution.input(Variables.TARGET, DatabaseEndpoint.class);
        Engine targetEngine = Engines.forName(target.engine(), step);
        String option = execution.options().get("checksums");
        boolean checksums = option != null ? Boolean.parseBoolean(option) : CHECKSUMS.flag(execution.settings(), step);
        int jobs = JOBS.intValue(execution.settings(), step);
        String against = execution.options().containsKey(AGAINST_OPTION.key()) ? execution.options().get(AGAINST_OPTION.key())
                : against(execution.settings(), step);
        SourceFreeze freeze = execution.optionalInput(Variables.FREEZE, SourceFreeze.class);
        boolean frozen = freeze != null && freeze.frozen();
        List<CustomCheck> checks = CustomCheck.fromSettings(execution.settings());

        List<Verification.Result> results = new ArrayList<>();
        String rowHash = null;
        if (!AGAINST_LIVE.equals(against)) {
            ArtifactRef artifact = ArtifactInput.resolve(execution);
            Inventory snapshot = SnapshotFigures.read(artifact.manifest()).orElseThrow(() -> execution.fail(ErrorCode.MANIFEST_MISSING,
                    "Artifact " + artifact.uri() + " holds no snapshot figures",
                    "it was written by a Ferry older than snapshot figures, so there is nothing the dump is known to hold",
                    "Compare with the source instead (smoke.against: live, or ferry verify --live) while its writes are stopped,"
                            + " or migrate again"));
            rowHash = snapshot.rowHash();
            results.add(Verification.againstSnapshot(snapshot, targetEngine, target, checks, checksums, jobs, step));
        }
        if (AGAINST_LIVE.equals(against) || AGAINST_BOTH.equals(against) || frozen) {
            DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
            results.add(Verification.againstLiveSource(Engines.forName(source.engine(), step), source, targetEngine, target, checks,
                    checksums, rowHash, jobs, step));
        }

        List<String> differences = new ArrayList<>();
        for (Verification.Result result : results) {
            String prefix = results.size() > 1 ? "against " + result.against() + ": " : "";
            result.differences().forEach(d -> differences.add(prefix + d));
        }
        Verification.Result first = results.get(0);
        execution.figure("tables", first.expected().tables().size());
        execution.figure("rows", first.expected().rows());
        execution.figure("objects", first.expected().objectCount());
        execution.figure("checks", checks.size());
        execution.figure("comparedWith", results.stream().map(Verification.Result::against).toList());
        execution.figure("notCompared", first.actual().notCompared());
        if (!differences.isEmpty()) {
            execution.run().differences(differences);
            throw execution.fail(ErrorCode.SMOKE_TEST_MISMATCH, "The target differs from " + first.against() + " in "
                            + differences.size() + " place(s)",
                    String.join("; ", differences.subList(0, Math.min(5, differences.size())))
                            + (differences.size() > 5 ? "; and " + (differences.size() - 5) + " more in the report" : ""),
                    "Do not switch over: find why the target differs (a failed object? a change made to it since?) and migrate again");
        }
        for (Verification.Result result : results) {
            execution.note(result.summary(checksums) + ": all equal");
        }
        execution.note("not compared: " + String.join("; ", first.actual().notCompared()));
        execution.output(Variables.SMOKE, new SmokeResult(first.expected().tables().size(), first.expected().rows(),
                first.expected().counters().size(), first.expected().objectCount(), checks.size(), checksums));
    }
}
