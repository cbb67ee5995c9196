package dev.ferry.cli;

import dev.ferry.testing.SilentServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ferry.cli.CommandLineTest.EXAMPLE;
import static dev.ferry.cli.CommandLineTest.ferry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A typo in a setting, a step id, an endpoint option or a step route is refused by {@code ferry run}
 * as by {@code ferry validate}: exit 2, the file and line, a "did you mean", before anything connects.
 */
class SettingRefusalTest {

    private static final String PORT_PLACEHOLDER = "@PORT@";

    /** The example with every server pointed at one loopback port, which counts the connections it gets. */
    private static Path migration(Path folder, String extraParameters) throws IOException {
        Path file = folder.resolve("typo.camel.yaml");
        String text = Files.readString(Path.of(EXAMPLE))
                .replace("db-vm.internal", "127.0.0.1").replace("staging-db.internal", "127.0.0.1")
                .replace("https://s3.internal:9000", "http://127.0.0.1:" + PORT_PLACEHOLDER)
                .replace("value: \"5432\"", "value: \"" + PORT_PLACEHOLDER + "\"")
                .replace("    parameters:\n", "    parameters:\n" + extraParameters);
        Files.writeString(file, text);
        return file;
    }

    private static Path bind(Path file, SilentServer listener) throws IOException {
        Files.writeString(file, Files.readString(file).replace(PORT_PLACEHOLDER, Integer.toString(listener.port())));
        return file;
    }

    private static CommandLineTest.Outcome runRefused(Path folder, String extraParameters, String... expected) throws IOException {
        try (SilentServer listener = new SilentServer()) {
            Path file = bind(migration(folder, extraParameters), listener);
            Path state = folder.resolve("state");
            CommandLineTest.Outcome validate = ferry("validate", file.toString());
            CommandLineTest.Outcome run = ferry("run", file.toString(), "--state-dir", state.toString());

            assertThat(validate.exitCode()).as(validate.err()).isEqualTo(2);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(validate.err()).contains(expected);
            assertThat(run.err()).contains(expected);
            assertThat(listener.connections()).as("a refused run connects to nothing").isZero();
            assertThat(state.resolve("runs")).doesNotExist();
            return run;
        }
    }

    @Test
    void aMistypedSettingNameIsRefusedWithItsLineAndTheNameMeant(@TempDir Path folder) throws IOException {
        runRefused(folder, "      - name: sourcee.host\n        value: 127.0.0.1\n",
                "typo.camel.yaml:14: sourcee.host is not a setting Ferry knows (did you mean source.host?)");
    }

    @Test
    void aMistypedTlsSettingDoesNotSilentlyDropTheTlsRequirement(@TempDir Path folder) throws IOException {
        runRefused(folder, "      - name: source.sslmod\n        value: verify-full\n",
                "source.sslmod is not a setting Ferry knows (did you mean source.sslmode?)");
        runRefused(folder, "      - name: source.sslMode\n        value: VERIFY_IDENTITY\n",
                "source.sslMode is not a setting of a postgresql source (did you mean source.sslmode?)");
    }

    @Test
    void aStepIdThatThePipelineDoesNotHaveIsRefused(@TempDir Path folder) throws IOException {
        runRefused(folder, "      - name: step.smoke-tst\n        value: ferry:smoke-test\n",
                "step.smoke-tst names no step of pipeline postgres-logical (did you mean step.smoke-test?)");
    }

    @Test
    void aValueOfTheWrongTypeIsRefused(@TempDir Path folder) throws IOException {
        runRefused(folder, "      - name: smoke.jobs\n        value: two\n      - name: smoke.against\n        value: snapshots\n",
                "typo.camel.yaml:14: smoke.jobs is 'two', which is not a whole number",
                "smoke.against is 'snapshots', which is not one of snapshot, live, both");
    }

    @Test
    void aStepRouteThatNoFileDefinesIsRefusedBeforeAnyDataMoves(@TempDir Path folder) throws IOException {
        runRefused(folder, "      - name: step.smoke-test\n        value: direct:no-such-route\n",
                "step.smoke-test is direct:no-such-route, but no route starts from direct:no-such-route");
    }

    @Test
    void anUnknownStepKindOrEndpointOptionIsRefused(@TempDir Path folder) throws IOException {
        runRefused(folder, "      - name: step.smoke-test\n        value: ferry:smoke-tset\n",
                "names no Ferry step ferry:smoke-tset (did you mean smoke-test?)");
        runRefused(folder, "      - name: step.smoke-test\n        value: ferry:smoke-test?checksum=false\n",
                "ferry:smoke-test has no option 'checksum' (did you mean checksums?)");
        runRefused(folder, "      - name: step.smoke-test\n        value: ferry:assert?expect=1\n",
                "ferry:assert needs the option 'sql'");
    }

    @Test
    void aMistypedOptionInARouteOfTheMigrationIsRefusedWhenCamelLoadsIt(@TempDir Path folder) throws IOException {
        String route = "\n- route:\n    id: my-check\n    from:\n      uri: \"direct:my-check\"\n      steps:\n"
                + "        - to: \"ferry:smoke-test\"\n        - to: \"ferry:assert?on=target&sqll=RAW(SELECT 1)&expect=1\"\n";
        try (SilentServer listener = new SilentServer()) {
            Path file = bind(migration(folder, "      - name: step.smoke-test\n        value: direct:my-check\n"), listener);
            Files.writeString(file, Files.readString(file) + route);
            Path state = folder.resolve("state");

            CommandLineTest.Outcome run = ferry("run", file.toString(), "--state-dir", state.toString());

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("ferry:assert has no option 'sqll' (did you mean sql?)");
            assertThat(listener.connections()).isZero();
        }
    }

    @Test
    void aMistypedSetIsRefusedAndAFaithfulFileIsNot(@TempDir Path folder) throws IOException {
        try (SilentServer listener = new SilentServer()) {
            Path file = bind(migration(folder, ""), listener);
            CommandLineTest.Outcome typo = ferry("plan", file.toString(), "--set", "import.job=4");
            CommandLineTest.Outcome right = ferry("plan", file.toString(), "--set", "import.jobs=4", "--set", "rehearsal.target.host=127.0.0.1");

            assertThat(typo.exitCode()).isEqualTo(2);
            assertThat(typo.err()).contains("--set import.job: import.job is not a setting Ferry knows (did you mean import.jobs?)");
            assertThat(right.exitCode()).as(right.err()).isZero();
        }
    }
}
