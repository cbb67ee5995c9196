package dev.ferry.steps;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.JdbcTimeouts;
import dev.ferry.runtime.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSettingsTest {

    static DatabaseEndpoint endpoint(Map<String, String> extra) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("target.engine", "mysql", "target.host", "db.internal",
                "target.database", "shop"));
        values.putAll(extra);
        return ConnectionSettings.database("target", new CollectedCredentials("app", null, null, null, null),
                new Settings(values), "collect-credentials");
    }

    @Test
    void jdbcDeadlinesDefaultAndAreSetPerSide() {
        assertThat(endpoint(Map.of()).jdbc()).isEqualTo(JdbcTimeouts.DEFAULT);
        DatabaseEndpoint set = endpoint(Map.of("target.jdbc.probeTimeoutSeconds", "5", "target.jdbc.statementTimeoutSeconds", "600",
                "target.jdbc.longQueryTimeoutSeconds", "86400", "source.jdbc.probeTimeoutSeconds", "1"));
        assertThat(set.jdbc()).isEqualTo(new JdbcTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofDays(1)));
    }

    @Test
    void aDeadlineBelowOneSecondIsBadInput() {
        assertThatThrownBy(() -> endpoint(Map.of("target.jdbc.probeTimeoutSeconds", "0")))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(e.getMessage()).contains("target.jdbc.probeTimeoutSeconds must be 1 or more");
                });
    }
}
