package dev.ferry.engine;

import dev.ferry.testing.SilentServer;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.mysql.MySqlConnections;
import dev.ferry.engine.mysql.MySqlEngine;
import dev.ferry.engine.postgres.PostgresEngine;
import dev.ferry.local.LocalMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every JDBC wait has a deadline by what the connection is for: a server that accepts connections
 * and never answers (a plain socket on loopback) fails a probe within the probe deadline, with a
 * message saying what timed out and after how long; a read on a real server that takes longer
 * than its connection's deadline fails too.
 */
class JdbcDeadlineTest {

    static SilentServer silent;

    @BeforeAll
    static void startSilentServer() throws IOException {
        silent = new SilentServer();
    }

    @AfterAll
    static void stopSilentServer() throws IOException {
        silent.close();
    }

    static JdbcTimeouts probeIn(Duration probe) {
        return new JdbcTimeouts(probe, JdbcTimeouts.DEFAULT.statement(), JdbcTimeouts.DEFAULT.longQuery());
    }

    static DatabaseEndpoint silentEndpoint(String engine, JdbcTimeouts timeouts) {
        return new DatabaseEndpoint(engine, "127.0.0.1", silent.port(), "shop", "ferry", Secret.of("never-sent", "test"),
                Map.of(), timeouts);
    }

    @Test
    void theDefaultsAreThirtySecondsThirtyMinutesAndSixHours() {
        assertThat(JdbcTimeouts.DEFAULT.of(JdbcUse.PROBE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(JdbcTimeouts.DEFAULT.of(JdbcUse.STATEMENT)).isEqualTo(Duration.ofMinutes(30));
        assertThat(JdbcTimeouts.DEFAULT.of(JdbcUse.LONG_QUERY)).isEqualTo(Duration.ofHours(6));
        assertThat(JdbcTimeouts.DEFAULT.connect(JdbcUse.PROBE)).isEqualTo(Duration.ofSeconds(15));
        assertThat(probeIn(Duration.ofSeconds(2)).connect(JdbcUse.PROBE)).isEqualTo(Duration.ofSeconds(2));
        assertThat(new DatabaseEndpoint("mysql", "h", 1, "d", "u", null, Map.of()).jdbc()).isEqualTo(JdbcTimeouts.DEFAULT);
        assertThat(silentEndpoint("mysql", probeIn(Duration.ofSeconds(2))).withDatabase("other").jdbc().probe())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aMariaDbProbeOfAServerThatNeverAnswersFailsWithinItsDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> new MySqlEngine().probeServer(silentEndpoint("mysql", probeIn(Duration.ofSeconds(2))), "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(e.getMessage()).contains("Timed out connecting to MySQL/MariaDB", "after 2 s", "127.0.0.1:" + silent.port())
                            .doesNotContain("never-sent");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
    }

    @Test
    void aPostgresProbeOfAServerThatNeverAnswersFailsWithinItsDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> new PostgresEngine().probeServer(silentEndpoint("postgresql", probeIn(Duration.ofSeconds(2))),
                "preflight"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(e.getMessage()).contains("Timed out connecting to PostgreSQL", "after 2 s").doesNotContain("never-sent");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
    }

    @Test
    void aReadLongerThanItsConnectionsDeadlineFailsOnARealServer() throws SQLException {
        try (LocalMariaDb server = LocalMariaDb.start()) {
            DatabaseEndpoint endpoint = server.endpoint("mysql").withJdbcTimeouts(probeIn(Duration.ofSeconds(2)));
            long start = System.nanoTime();
            try (Connection probe = MySqlConnections.open(endpoint, "t", JdbcUse.PROBE);
                 Statement statement = probe.createStatement()) {
                assertThatThrownBy(() -> statement.execute("SELECT SLEEP(20)"))
                        .satisfies(e -> assertThat(JdbcDeadline.isTimeout(e)).as(e.toString()).isTrue());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(8));
            // a statement connection waits longer than a probe's 2 s
            try (Connection statementConnection = MySqlConnections.open(endpoint, "t", JdbcUse.STATEMENT);
                 Statement statement = statementConnection.createStatement()) {
                assertThat(statement.execute("SELECT SLEEP(3)")).isTrue();
            }
        }
    }
}
