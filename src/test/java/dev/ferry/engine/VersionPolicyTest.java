package dev.ferry.engine;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionPolicyTest {

    static final ServerVersion PG13 = new ServerVersion("postgresql", 13, "13.22");
    static final ServerVersion PG15 = new ServerVersion("postgresql", 15, "15.20");
    static final ServerVersion PG17 = new ServerVersion("postgresql", 17, "17.5");

    @Test
    void logicalAcceptsAnEqualOrNewerTargetAndRefusesAnOlderOne() {
        assertThatCode(() -> VersionPolicy.LOGICAL.checkTarget(PG15, PG15, false, "verify-versions")).doesNotThrowAnyException();
        assertThatCode(() -> VersionPolicy.LOGICAL.checkTarget(PG15, PG17, false, "verify-versions")).doesNotThrowAnyException();
        assertThatThrownBy(() -> VersionPolicy.LOGICAL.checkTarget(PG15, PG13, false, "verify-versions"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VERSION_MISMATCH);
                    assertThat(e.step()).isEqualTo("verify-versions");
                    assertThat(e.why()).contains("15.20", "13.22");
                    assertThat(e.next()).contains("15 or newer");
                });
    }

    @Test
    void identicalNeedsTheSameMajor() {
        assertThatThrownBy(() -> VersionPolicy.IDENTICAL.checkTarget(PG15, PG17, false, "v")).isInstanceOf(FerryException.class);
        assertThatCode(() -> VersionPolicy.IDENTICAL.checkTarget(PG15, new ServerVersion("postgresql", 15, "15.1"), false, "v"))
                .doesNotThrowAnyException();
    }

    @Test
    void aDumpToolOlderThanTheSourceIsRefused() {
        assertThatThrownBy(() -> VersionPolicy.LOGICAL.checkTool(PG17, PG15, "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.why()).contains("17.5", "15.20"));
    }

    @Test
    void crossFlavourNeedsExplicitPermission() {
        ServerVersion mysql = new ServerVersion("mysql", 800, "8.0.36");
        ServerVersion mariadb = new ServerVersion("mariadb", 1011, "10.11.6");
        assertThatThrownBy(() -> VersionPolicy.LOGICAL.checkTarget(mysql, mariadb, false, "v")).isInstanceOf(FerryException.class);
        assertThatCode(() -> VersionPolicy.LOGICAL.checkTarget(mysql, mariadb, true, "v")).doesNotThrowAnyException();
    }

    @Test
    void anUnknownPolicyIsBadInput() {
        assertThatThrownBy(() -> VersionPolicy.fromSetting("newest", "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code().exitCode()).isEqualTo(2));
    }
}
