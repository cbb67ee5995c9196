package dev.ferry.cutover;

import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CutoverWindowTest {

    @Test
    void anIsoIntervalHoldsFromItsStartUntilItsEnd() {
        CutoverWindow window = CutoverWindow.parse("2026-12-05T01:00+01:00/2026-12-05T05:00+01:00", "test");

        assertThat(window.containing(Instant.parse("2026-12-05T00:00:00Z"))).map(CutoverWindow.Span::end)
                .contains(Instant.parse("2026-12-05T04:00:00Z"));
        assertThat(window.containing(Instant.parse("2026-12-04T23:59:59Z"))).isEmpty();
        assertThat(window.containing(Instant.parse("2026-12-05T04:00:00Z"))).as("the end is outside").isEmpty();
        assertThat(window.next(Instant.parse("2026-12-01T00:00:00Z"))).map(CutoverWindow.Span::start)
                .contains(Instant.parse("2026-12-05T00:00:00Z"));
        assertThat(CutoverWindow.parse("2026-12-05T01:00Z/PT4H", "test").containing(Instant.parse("2026-12-05T04:59:00Z"))).isPresent();
    }

    @Test
    void aWeeklyWindowFollowsItsZoneAcrossDaylightSavingAndMidnight() {
        CutoverWindow berlin = CutoverWindow.parse("Sat 01:00-05:00 Europe/Berlin", "test");
        // 2026-12-05 is a Saturday; Berlin is UTC+1 in winter and UTC+2 in summer
        assertThat(berlin.containing(Instant.parse("2026-12-05T00:30:00Z"))).map(CutoverWindow.Span::end)
                .contains(Instant.parse("2026-12-05T04:00:00Z"));
        assertThat(berlin.containing(Instant.parse("2026-07-04T03:30:00Z"))).as("05:30 in Berlin's summer").isEmpty();
        assertThat(berlin.containing(Instant.parse("2026-07-04T02:30:00Z"))).map(CutoverWindow.Span::end)
                .contains(Instant.parse("2026-07-04T03:00:00Z"));
        assertThat(berlin.containing(Instant.parse("2026-12-06T00:30:00Z"))).as("Sunday").isEmpty();
        assertThat(berlin.next(Instant.parse("2026-12-06T00:30:00Z"))).map(CutoverWindow.Span::start)
                .contains(Instant.parse("2026-12-12T00:00:00Z"));

        CutoverWindow overnight = CutoverWindow.parse("FRI,SAT 23:00-02:00", "test");
        assertThat(overnight.containing(Instant.parse("2026-12-05T01:30:00Z"))).as("Friday's window, on Saturday morning UTC")
                .map(s -> Duration.between(s.start(), s.end())).contains(Duration.ofHours(3));
        assertThat(CutoverWindow.parse("MON-FRI 22:00-23:00 UTC", "test").containing(Instant.parse("2026-12-02T22:10:00Z"))).isPresent();
    }

    @Test
    void aWindowThatIsNoWindowIsBadInput() {
        for (String text : List.of("tomorrow night", "2026-12-05T05:00Z/2026-12-05T01:00Z", "XYZ 01:00-02:00", "SAT 01:00-01:00",
                "SAT 01:00-05:00 Mars/Olympus")) {
            assertThatThrownBy(() -> CutoverWindow.parse(text, "window-gate")).as(text).isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code().exitCode()).isEqualTo(2));
        }
    }

    @Test
    void anEstimateScalesTheDataStepsByTodaysSize() {
        Estimates.Recorded recorded = new Estimates.Recorded("r1", Instant.EPOCH, 1_000,
                Map.of("preflight", 500L, "dump", 100L, "upload", 2_000L, "import", 3_000L, "smoke-test", 1_000L));

        assertThat(Estimates.estimate(recorded, 2_000, List.of("preflight", "upload", "import", "smoke-test", "switch")))
                .isEqualTo(Duration.ofMillis(500 + 2 * (2_000 + 3_000 + 1_000)));
        assertThat(Estimates.estimate(recorded, -1, List.of("dump", "upload"))).isEqualTo(Duration.ofMillis(2_100));
    }
}
