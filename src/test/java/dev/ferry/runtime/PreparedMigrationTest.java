package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads the real pipelines/ and examples/ files: the checks made before Camel starts. */
class PreparedMigrationTest {

    static final Path HOME = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath();
    static final Path EXAMPLE = HOME.resolve("examples/postgres-to-postgres/migration.camel.yaml");

    @Test
    void theExampleInstantiatesThePostgresPipelineWithItsSevenSteps() {
        PreparedMigration prepared = PreparedMigration.prepare(EXAMPLE, HOME, Map.of(), null, null, Map.of());

        assertThat(prepared.pipeline().id()).isEqualTo("postgres-logical");
        assertThat(prepared.pipeline().steps()).containsExactly("collect-credentials", "preflight", "dump", "upload",
                "verify-versions", "import", "smoke-test");
        assertThat(prepared.plan().steps()).allMatch(s -> s.action() == RunPlan.Action.RUN);
        assertThat(prepared.plan().step("import").uri()).isEqualTo("ferry:restore");
        assertThat(prepared.settings().get("source.port", null)).isEqualTo("5432");
    }

    @Test
    void thePhysicalPipelineHasItsOwnContractsForImportAndVerifyVersions() {
        Path file = HOME.resolve("examples/legacy-charm-to-charmed-postgresql-physical/migration.camel.yaml");
        PreparedMigration prepared = PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of());

        assertThat(prepared.pipeline().steps()).containsExactly("collect-credentials", "preflight", "setup", "backup", "info",
                "verify-versions", "import", "smoke-test");
        assertThat(prepared.plan().step("import").uri()).isEqualTo("ferry:charm-restore");
        assertThat(prepared.plan().step("import").replaced()).isTrue();
        assertThat(prepared.plan().step("import").contract().reads()).contains(Variables.BACKUP).doesNotContain(Variables.ARTIFACT);
        assertThat(prepared.plan().step("info").contract().sets()).containsExactly(Variables.BACKUP);
        PreparedMigration logical = PreparedMigration.prepare(HOME.resolve("examples/postgres-to-postgres/migration.camel.yaml"), HOME,
                Map.of(), null, null, Map.of());
        assertThat(logical.plan().step("import").contract().reads()).contains(Variables.ARTIFACT);
        assertThat(logical.plan().step("smoke-test").contract().reads()).containsExactlyInAnyOrder(Variables.TARGET, Variables.ARTIFACT);
        assertThat(prepared.plan().step("smoke-test").contract().reads()).containsExactlyInAnyOrder(Variables.TARGET, Variables.SOURCE);
        assertThat(prepared.settings().get("versionPolicy", null)).isEqualTo("identical");
    }

    @Test
    void theCutoverExampleRunsItsStepsInOrderWithReleaseAndNotifyInItsFinallyAndARehearsalTakesItsOwnTarget() {
        Path file = HOME.resolve("examples/postgres-cutover/migration.camel.yaml");
        PreparedMigration prepared = PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of());

        assertThat(prepared.pipeline().steps()).containsExactly("window-gate", "collect-credentials", "preflight", "freeze-source",
                "dump", "upload", "verify-versions", "import", "smoke-test", "point-of-no-return", "switch", "release-source", "notify");
        assertThat(prepared.plan().step("freeze-source").contract().sets()).containsExactly(Variables.FREEZE);
        assertThat(prepared.settings().get("target.host", null)).isEqualTo("new-db.internal");

        PreparedMigration rehearsal = PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of(), true);
        assertThat(rehearsal.settings().get("target.host", null)).isEqualTo("staging-db.internal");
        assertThat(rehearsal.settings().get("target.password", null)).isEqualTo("{{env:REHEARSAL_PGPASSWORD}}");
        assertThat(rehearsal.settings().get("target.database", null)).as("not overridden").isEqualTo("shop");
        PreparedMigration told = PreparedMigration.prepare(file, HOME, Map.of("target.host", "other-staging"), null, null, Map.of(), true);
        assertThat(told.settings().get("target.host", null)).as("--set wins").isEqualTo("other-staging");
    }

    @Test
    void aRehearsalWithoutAScratchTargetIsRefused() {
        Path file = HOME.resolve("examples/mariadb-cutover/migration.camel.yaml");

        assertThatThrownBy(() -> PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of(), true))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(e.getMessage()).contains("A rehearsal needs a scratch target");
                });
    }

    @Test
    void aReplacedStepIsShownAsReplaced() {
        Path file = HOME.resolve("examples/replace-a-step/migration.camel.yaml");
        PreparedMigration prepared = PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of());

        RunPlan.PlannedStep smoke = prepared.plan().step("smoke-test");
        assertThat(smoke.uri()).isEqualTo("direct:smoke-test-and-check-prices");
        assertThat(smoke.replaced()).isTrue();
        assertThat(prepared.plan().step("dump").replaced()).isFalse();
    }

    @Test
    void aSecretOnTheCommandLineIsRefused() {
        assertThatThrownBy(() -> PreparedMigration.prepare(EXAMPLE, HOME, Map.of("source.password", "hunter22"), null, null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(e.code().exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).doesNotContain("hunter22").contains("source.password");
                });
    }

    @Test
    void missingRequiredSettingsAreAllNamedAtOnce(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("m.camel.yaml");
        Files.writeString(file, """
                - templatedRoute:
                    routeTemplateRef: postgres-logical
                    parameters:
                      - name: source.host
                        value: somewhere
                """);
        assertThatThrownBy(() -> PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MISSING_INPUT);
                    assertThat(e.why()).contains("source.database", "target.host", "target.user", "storage.bucket");
                });
    }

    @Test
    void aSettingTheSidesCredentialSourceFindsItselfIsNotRequiredUpFront(@TempDir Path folder) throws IOException {
        String withoutTargetUser = Files.readString(EXAMPLE).replace("""
                      - name: target.user
                        value: postgres
                """, "");
        Path fromSecret = folder.resolve("secret.camel.yaml");
        Files.writeString(fromSecret, withoutTargetUser.replace("    parameters:\n", """
                    parameters:
                      - name: target.credentials
                        value: kubernetes-secret
                      - name: target.secret.preset
                        value: everest-postgresql
                """));
        assertThat(PreparedMigration.prepare(fromSecret, HOME, Map.of(), null, null, Map.of()).settings().find("target.user")).isEmpty();

        Path fromSettings = folder.resolve("settings.camel.yaml");
        Files.writeString(fromSettings, withoutTargetUser);
        assertThatThrownBy(() -> PreparedMigration.prepare(fromSettings, HOME, Map.of(), null, null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.why()).contains("target.user"));
    }

    @Test
    void anUnknownPipelineIsBadInput(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("m.camel.yaml");
        Files.writeString(file, "- templatedRoute:\n    routeTemplateRef: nope\n");
        assertThatThrownBy(() -> PreparedMigration.prepare(file, HOME, Map.of(), null, null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.why()).contains("postgres-logical"));
    }

    @Test
    void startingAtImportNeedsAnArtifactAndSaysWhichStepWouldHaveSetIt() {
        assertThatThrownBy(() -> PreparedMigration.prepare(EXAMPLE, HOME, Map.of(), "import", null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MISSING_INPUT);
                    assertThat(e.why()).contains("reads ferry.artifact, which step 'upload' should have set");
                });
        Map<String, String> artifact = Map.of("artifact", "s3://migrations/staging/shop/20261121T100000Z/");
        // the version check may not be skipped on the way to an import
        assertThatThrownBy(() -> PreparedMigration.prepare(EXAMPLE, HOME, artifact, "import", null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class,
                        e -> assertThat(e.why()).contains("reads ferry.versions, which step 'verify-versions' should have set"));
        PreparedMigration prepared = PreparedMigration.prepare(EXAMPLE, HOME, artifact, "verify-versions", null, Map.of());
        assertThat(prepared.plan().step("upload").action()).isEqualTo(RunPlan.Action.SKIP);
        assertThat(prepared.plan().givenUpFront()).containsExactly("ferry.artifact");
        assertThat(prepared.plan().step("collect-credentials").action()).isEqualTo(RunPlan.Action.RUN);
    }

    @Test
    void unknownFromStepIsBadInput() {
        assertThatThrownBy(() -> PreparedMigration.prepare(EXAMPLE, HOME, Map.of(), "dumpp", null, Map.of()))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.getMessage()).contains("--from", "dumpp"));
    }
}
