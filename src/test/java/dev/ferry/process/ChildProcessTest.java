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
}
