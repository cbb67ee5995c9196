package dev.ferry.process;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest {

    @Test
    void aSecretReachesTheChildThroughItsEnvironmentOnly() {
        ChildCommand command = ChildCommand.of("sh", "-c", "printf %s \"$FERRY_TEST_SECRET\"").env("FERRY_TEST_SECRET", "abc-secret").build();
        assertThat(ChildProcess.run(command, "test", Duration.ofSeconds(10))).isEqualTo("abc-secret");
        assertThat(command.argv()).noneMatch(a -> a.contains("abc-secret"));
        assertThat(command.toString()).doesNotContain("abc-secret");
    }

    @Test
    void aFailingChildReportsItsExitCodeAndTheTailOfItsStderr() {
        ChildCommand command = ChildCommand.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x >&2; echo; echo the real cause >&2; exit 3").build();
        assertThatThrownBy(() -> ChildProcess.run(command, "dump", Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CHILD_PROCESS);
                    assertThat(e.step()).isEqualTo("dump");
                    assertThat(e.what()).contains("exit code 3");
                    assertThat(e.why()).endsWith("the real cause").hasSizeLessThanOrEqualTo(16 * 1024);
                });
    }

    @Test
    void aMissingProgramIsReportedAsAMissingTool() {
        assertThatThrownBy(() -> ChildProcess.run(ChildCommand.of("no-such-program-ferry").build(), "preflight", Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_MISSING);
                    assertThat(e.next()).contains("Install no-such-program-ferry");
                });
    }

    @Test
    void aHangingChildIsKilledAtItsTimeout() {
        assertThatThrownBy(() -> ChildProcess.run(ChildCommand.of("sleep", "30").build(), "import", Duration.ofMillis(300)))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.what()).contains("did not finish"));
    }

    @Test
    void aChildGetsACleanEnvironmentPlusItsOwnVariablesOnly() {
        ChildCommand command = ChildCommand.of("sh", "-c", "env | cut -d= -f1").env("PGPASSWORD", "only-this-one").build();
        java.util.List<String> names = ChildProcess.run(command, "test", Duration.ofSeconds(10)).lines().toList();
        assertThat(names).contains("PATH", "PGPASSWORD");
        // the shell itself adds PWD, SHLVL and _; nothing of Ferry's own environment beyond the baseline reaches the child
        assertThat(names).allSatisfy(name -> assertThat(ChildEnvironment.PASSED_ON.contains(name) || name.startsWith("LC_")
                || java.util.Set.of("PGPASSWORD", "PWD", "SHLVL", "_").contains(name)).as(name).isTrue());
        assertThat(System.getenv().keySet()).as("the test JVM has variables a child must not get").anyMatch(n -> !names.contains(n));
    }

    @Test
    void aChildIsStartedSoThatItDiesWithFerry() {
        ChildCommand command = ChildCommand.of("sh", "-c", "grep PPid /proc/$$/status").build();
        assertThat(ChildReaper.wrap(command.argv())).startsWith("/usr/bin/setpriv", "--pdeathsig", "KILL", "--");
        assertThat(ChildProcess.run(command, "test", Duration.ofSeconds(10))).contains("PPid:\t" + ProcessHandle.current().pid());
    }
}
