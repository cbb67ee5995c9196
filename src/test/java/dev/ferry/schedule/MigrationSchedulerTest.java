package dev.ferry.schedule;

import dev.ferry.runtime.Console;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's own behaviour with Quartz firing every second and a run that takes longer than that. */
class MigrationSchedulerTest {

    @Test
    void aStartThatFindsThePreviousRunStillGoingIsSkippedAndLogged() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        AtomicInteger runs = new AtomicInteger();
        try (MigrationScheduler scheduler = new MigrationScheduler(console, 2)) {
            scheduler.start(List.of(new MigrationScheduler.Entry(Path.of("slow.camel.yaml"), "slow", "* * * * * ?", "UTC")), file -> {
                int number = runs.incrementAndGet();
                try {
                    Thread.sleep(2_500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new MigrationScheduler.Outcome("run-" + number, "passed", 0);
            });
            scheduler.await();
        }
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(runs.get()).isEqualTo(2);
        assertThat(log).contains("schedule: slow at '* * * * * ?' (UTC, Quartz)", "schedule: slow starts (start 1)",
                "schedule: slow run run-1 passed (exit 0)", "schedule: slow starts (start 2)", "schedule: slow run run-2 passed (exit 0)",
                "schedule: slow skipped at ", "its previous run is still going");
    }
}
