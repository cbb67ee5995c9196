package dev.ferry.component;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The step kinds the {@code ferry:} component serves. */
final class StepKinds {

    private static final Map<String, Supplier<FerryStep>> PHYSICAL = Map.of(
            "pgbackrest-preflight", PgBackRestPreflightStep::new,
            "pgbackrest-setup", PgBackRestSetupStep::new,
            "pgbackrest-backup", PgBackRestBackupStep::new,
            "pgbackrest-info", PgBackRestInfoStep::new,
            "pgbackrest-verify-versions", PgBackRestVerifyVersionsStep::new,
            "pgbackrest-restore", PgBackRestRestoreStep::new,
            "charm-restore", CharmRestoreStep::new);

    private static final Map<String, Supplier<FerryStep>> KINDS = new TreeMap<>(Map.ofEntries(
            Map.entry("collect-credentials", CollectCredentialsStep::new),
            Map.entry("credentials", CredentialsStep::new),
            Map.entry("preflight", PreflightStep::new),
            Map.entry("dump", DumpStep::new),
            Map.entry("upload", UploadStep::new),
            Map.entry("verify-versions", VerifyVersionsStep::new),
            Map.entry("restore", RestoreStep::new),
            Map.entry("smoke-test", SmokeTestStep::new),
            Map.entry("assert", AssertStep::new),
            Map.entry("everest-preflight", EverestPreflightStep::new),
            Map.entry("everest-import", EverestImportStep::new),
            Map.entry("window-gate", WindowGateStep::new),
            Map.entry("freeze-source", FreezeSourceStep::new),
            Map.entry("switch", SwitchStep::new),
            Map.entry("release-source", ReleaseSourceStep::new),
            Map.entry("notify", NotifyStep::new)));

    static {
        KINDS.putAll(PHYSICAL);
    }

    private StepKinds() {
    }

    static FerryStep create(String kind) {
        Supplier<FerryStep> factory = KINDS.get(kind);
        return factory == null ? null : factory.get();
    }

    static Set<String> names() {
        return KINDS.keySet();
    }
}
