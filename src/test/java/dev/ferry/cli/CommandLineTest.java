package dev.ferry.cli;

import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that need no server, run in this JVM with their output captured. */
class CommandLineTest {

    static final String EXAMPLE = MigrationBed.HOME.resolve("examples/postgres-to-postgres/migration.camel.yaml").toString();

    record Outcome(int exitCode, String out, String err) {
    }

    static Outcome ferry(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] withHome = new String[args.length + 2];
            System.arraycopy(args, 0, withHome, 0, args.length);
            withHome[args.length] = "--home";
            withHome[args.length + 1] = MigrationBed.HOME.toString();
            int exit = FerryCli.execute(withHome);
            return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void planShowsEveryStepWithItsEndpointAndContractAndMasksNothingItShouldShow() {
        Outcome plan = ferry("plan", EXAMPLE, "--set", "import.jobs=4");

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.out()).contains("1. collect-credentials", "7. smoke-test", "ferry:restore", "reads ferry.artifact",
                "streams into a staging database; 4 workers build indexes and constraints while later tables load",
                "source.password = {{env:SOURCE_PGPASSWORD}}");
        assertThat(ferry("plan", EXAMPLE, "--set", "import.jobs=4", "--set", "clean=true").out())
                .contains("spools the dump to local disk: pg_restore -j 4 needs a seekable file");
    }

    @Test
    void planSaysAMariaDbImportLoadsWithSessionsFromTheStream() {
        Outcome plan = ferry("plan", MigrationBed.HOME.resolve("examples/mariadb-to-mariadb/migration.camel.yaml").toString(),
                "--set", "import.jobs=3");

        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("loads the dump's INSERTs with 3 client sessions into the staging database, from the stream")
                .doesNotContain("pg_restore -j");
    }

    @Test
    void anInlineSecretIsMaskedInThePlan(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("inline.camel.yaml");
        Files.writeString(file, Files.readString(Path.of(EXAMPLE)).replace("\"{{env:SOURCE_PGPASSWORD}}\"", "inline-secret-value"));

        Outcome plan = ferry("plan", file.toString());

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.out()).contains("source.password = ****").doesNotContain("inline-secret-value");
    }

    @Test
    void validateRefusesAStepPointingAtARouteThatDoesNotExist(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("dangling.camel.yaml");
        Files.writeString(file, Files.readString(Path.of(EXAMPLE)).replace("    parameters:\n",
                "    parameters:\n      - name: step.import\n        value: direct:nowhere\n"));

        Outcome validate = ferry("validate", file.toString());

        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains("step.import is direct:nowhere, but no route starts from direct:nowhere");
    }

    @Test
    void runsListsRunsFromTheStateFolder(@TempDir Path state) {
        Outcome empty = ferry("runs", "--state-dir", state.toString());
        assertThat(empty.out()).contains("No runs in");

        Outcome failed = ferry("run", EXAMPLE, "--state-dir", state.toString());
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(2);
        assertThat(failed.err()).contains("SOURCE_PGPASSWORD");

        Outcome runs = ferry("runs", "--state-dir", state.toString());
        assertThat(runs.out()).contains("shop-to-staging", "postgres-logical", "failed");
    }

    @Test
    void anUnknownOptionIsBadInput() {
        Outcome outcome = ferry("run", EXAMPLE, "--no-such-option");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("Unknown option");
    }
}
