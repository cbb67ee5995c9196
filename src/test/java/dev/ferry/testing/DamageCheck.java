package dev.ferry.testing;

import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StateDirectory;
import dev.ferry.runtime.VerifyTarget;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies a migrated run's target again, before and after a damage done to it, as {@code ferry verify RUN} does. */
public final class DamageCheck {

    private final MigrationBed bed;
    private final LocalDatabaseServer target;
    private final Path state;
    private final String runId;

    public DamageCheck(MigrationBed bed, LocalDatabaseServer target, Path state, String runId) {
        this.bed = bed;
        this.target = target;
        this.state = state;
        this.runId = runId;
    }

    public RunReport verify() {
        VerifyTarget verify = VerifyTarget.ofRun(new StateDirectory(state), runId, Map.of());
        return bed.run(verify.migrationFile(), state, verify.sets(), VerifyTarget.STEP, VerifyTarget.STEP);
    }

    /** Damages the target, expects a failed verification naming it, undoes the damage and expects equality again. */
    public void assertNamed(String damage, String undo, String named) {
        target.execute(MigrationBed.DATABASE, damage);
        RunReport damaged = verify();
        assertThat(damaged.status()).as(damage).isEqualTo(RunReport.FAILED);
        assertThat(damaged.differences()).as(damage).anyMatch(d -> d.contains(named));
        target.execute(MigrationBed.DATABASE, undo);
        RunReport repaired = verify();
        assertThat(repaired.status()).as("after undoing " + damage + ": " + repaired.differences()).isEqualTo(RunReport.PASSED);
    }
}
