package dev.ferry.camel;

import dev.ferry.steps.SharedSettings;
import dev.ferry.steps.CollectCredentialsStep;
import dev.ferry.steps.CredentialsStep;
import dev.ferry.steps.PreflightStep;
import dev.ferry.steps.DumpStep;
import dev.ferry.steps.UploadStep;
import dev.ferry.steps.VerifyVersionsStep;
import dev.ferry.steps.RestoreStep;
import dev.ferry.steps.SmokeTestStep;
import dev.ferry.steps.AssertStep;
import dev.ferry.steps.NotifyStep;
import dev.ferry.cutover.WindowGateStep;
import dev.ferry.cutover.FreezeSourceStep;
import dev.ferry.cutover.SwitchStep;
import dev.ferry.cutover.ReleaseSourceStep;
import dev.ferry.pgbackrest.PgBackRestPreflightStep;
import dev.ferry.pgbackrest.PgBackRestSetupStep;
import dev.ferry.pgbackrest.PgBackRestBackupStep;
import dev.ferry.pgbackrest.PgBackRestInfoStep;
import dev.ferry.pgbackrest.PgBackRestVerifyVersionsStep;
import dev.ferry.pgbackrest.PgBackRestRestoreStep;
import dev.ferry.everest.EverestImportStep;
import dev.ferry.everest.EverestPreflightStep;
import dev.ferry.juju.CharmRestoreStep;
import dev.ferry.backup.CheckArtifactStep;
import dev.ferry.backup.RetentionStep;
import dev.ferry.backup.RestoreAddonDumpStep;
import dev.ferry.backup.SafetyBackupStep;
import dev.ferry.backup.VerifyAddonDumpStep;

import dev.ferry.spec.Setting;
import dev.ferry.spec.SpecSource;
import dev.ferry.spec.StepSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The step kinds the {@code ferry:} component serves, each with its spec, and the settings that
 * the steps' shared parts read (connections, credential sources, the object store, engines).
 */
public final class StepKinds implements SpecSource {

    private record Kind(StepSpec spec, Supplier<FerryStep> factory) {
    }

    private static final Map<String, Kind> KINDS = new TreeMap<>();

    static {
        add(CollectCredentialsStep.SPEC, CollectCredentialsStep::new);
        add(CredentialsStep.SPEC, CredentialsStep::new);
        add(PreflightStep.SPEC, PreflightStep::new);
        add(DumpStep.SPEC, DumpStep::new);
        add(UploadStep.SPEC, UploadStep::new);
        add(VerifyVersionsStep.SPEC, VerifyVersionsStep::new);
        add(RestoreStep.SPEC, RestoreStep::new);
        add(SmokeTestStep.SPEC, SmokeTestStep::new);
        add(AssertStep.SPEC, AssertStep::new);
        add(EverestPreflightStep.SPEC, EverestPreflightStep::new);
        add(EverestImportStep.SPEC, EverestImportStep::new);
        add(WindowGateStep.SPEC, WindowGateStep::new);
        add(FreezeSourceStep.SPEC, FreezeSourceStep::new);
        add(SwitchStep.SPEC, SwitchStep::new);
        add(ReleaseSourceStep.SPEC, ReleaseSourceStep::new);
        add(NotifyStep.SPEC, NotifyStep::new);
        add(PgBackRestPreflightStep.SPEC, PgBackRestPreflightStep::new);
        add(PgBackRestSetupStep.SPEC, PgBackRestSetupStep::new);
        add(PgBackRestBackupStep.SPEC, PgBackRestBackupStep::new);
        add(PgBackRestInfoStep.SPEC, PgBackRestInfoStep::new);
        add(PgBackRestVerifyVersionsStep.SPEC, PgBackRestVerifyVersionsStep::new);
        add(PgBackRestRestoreStep.SPEC, PgBackRestRestoreStep::new);
        add(CharmRestoreStep.SPEC, CharmRestoreStep::new);
        add(CheckArtifactStep.SPEC, CheckArtifactStep::new);
        add(RetentionStep.SPEC, RetentionStep::new);
        add(SafetyBackupStep.SPEC, SafetyBackupStep::new);
        add(VerifyAddonDumpStep.SPEC, VerifyAddonDumpStep::new);
        add(RestoreAddonDumpStep.SPEC, RestoreAddonDumpStep::new);
        add(dev.ferry.online.OnlinePreflightStep.SPEC, dev.ferry.online.OnlinePreflightStep::new);
        add(dev.ferry.online.CaptureChangesStep.SPEC, dev.ferry.online.CaptureChangesStep::new);
        add(dev.ferry.online.FollowStep.SPEC, dev.ferry.online.FollowStep::new);
        add(dev.ferry.online.CatchUpStep.SPEC, dev.ferry.online.CatchUpStep::new);
        add(dev.ferry.online.DrainStep.SPEC, dev.ferry.online.DrainStep::new);
        add(dev.ferry.online.SyncSequencesStep.SPEC, dev.ferry.online.SyncSequencesStep::new);
        add(dev.ferry.online.StopFollowingStep.SPEC, dev.ferry.online.StopFollowingStep::new);
    }

    private static void add(StepSpec spec, Supplier<FerryStep> factory) {
        KINDS.put(spec.kind(), new Kind(spec, factory));
    }

    static FerryStep create(String kind) {
        Kind known = KINDS.get(kind);
        return known == null ? null : known.factory().get();
    }

    static StepSpec spec(String kind) {
        Kind known = KINDS.get(kind);
        return known == null ? null : known.spec();
    }

    static Set<String> names() {
        return KINDS.keySet();
    }

    @Override
    public List<StepSpec> steps() {
        return KINDS.values().stream().map(Kind::spec).toList();
    }

    @Override
    public List<Setting> settings() {
        List<Setting> settings = new ArrayList<>(SharedSettings.ALL);
        dev.ferry.engine.Engines.all().forEach(engine -> settings.addAll(engine.settings()));
        return settings;
    }
}
