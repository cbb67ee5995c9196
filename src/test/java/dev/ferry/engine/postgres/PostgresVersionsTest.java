package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ServerVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresVersionsTest {

    @Test
    void readsServerVersionNumbers() {
        assertThat(PostgresVersions.fromVersionNumber(150020)).isEqualTo(new ServerVersion("postgresql", 15, "15.20"));
        assertThat(PostgresVersions.fromVersionNumber(170005)).isEqualTo(new ServerVersion("postgresql", 17, "17.5"));
        assertThat(PostgresVersions.fromVersionNumber(90624)).isEqualTo(new ServerVersion("postgresql", 906, "9.6.24"));
    }

    @Test
    void readsToolVersionLines() {
        assertThat(PostgresVersions.fromToolOutput("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", "pg_dump", "s"))
                .isEqualTo(new ServerVersion("postgresql", 15, "15.20"));
        assertThat(PostgresVersions.fromToolOutput("pg_dump (PostgreSQL) 9.6.24\n", "pg_dump", "s"))
                .isEqualTo(new ServerVersion("postgresql", 906, "9.6.24"));
        assertThat(PostgresVersions.fromToolOutput("pg_dump (PostgreSQL) 18beta1\n", "pg_dump", "s"))
                .isEqualTo(new ServerVersion("postgresql", 18, "18beta1"));
    }

    @Test
    void refusesOutputThatIsNoVersion() {
        assertThatThrownBy(() -> PostgresVersions.fromToolOutput("command not found", "pg_dump", "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_MISSING);
                    assertThat(e.step()).isEqualTo("preflight");
                });
    }
}
