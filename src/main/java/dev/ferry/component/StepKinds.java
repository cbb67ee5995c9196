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

    private static final Map<String, Supplier<FerryStep>> KINDS = new TreeMap<>(Map.of(
            "collect-credentials", CollectCredentialsStep::new,
            "credentials", CredentialsStep::new,
            "preflight", PreflightStep::new,
            "dump", DumpStep::new,
            "upload", UploadStep::new,
            "verify-versions", VerifyVersionsStep::new,
            "restore", RestoreStep::new,
            "smoke-test", SmokeTestStep::new,
            "assert", AssertStep::new));

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
