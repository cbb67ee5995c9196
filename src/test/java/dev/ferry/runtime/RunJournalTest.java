package dev.ferry.runtime;

import dev.ferry.credentials.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunJournalTest {

    @Test
    void eventsAreAppendedAndReadBackAndATornLastLineIsIgnored(@TempDir Path folder) throws IOException {
        try (RunJournal journal = RunJournal.open(folder)) {
            journal.append(new JournalEvent(JournalEvent.STEP_STARTED, Instant.now(), "dump", "ferry:dump", null, null, null, null, null, null));
            journal.append(new JournalEvent(JournalEvent.STEP_FINISHED, Instant.now(), "dump", "ferry:dump",
                    Map.of("ferry.versions", JournalCodec.encode("ok")), Map.of("bytes", 42), null, null, null, null));
        }
        Files.writeString(folder.resolve(RunJournal.FILE_NAME), "{\"event\":\"step-sta", StandardOpenOption.APPEND);

        List<JournalEvent> events = RunJournal.read(folder);

        assertThat(events).extracting(JournalEvent::event).containsExactly("step-started", "step-finished");
        assertThat(JournalCodec.decode("ferry.versions", events.get(1).outputs().get("ferry.versions"))).isEqualTo("ok");
        assertThat(MigrationRunner.finishedSteps(events)).containsOnlyKeys("dump");
    }

    @Test
    void aSecretNeverReachesTheJournal(@TempDir Path folder) throws IOException {
        Secret secret = Secret.of("s3cr3t-journal-value", "test");
        try (RunJournal journal = RunJournal.open(folder)) {
            journal.append(new JournalEvent(JournalEvent.STEP_FAILED, Instant.now(), "preflight", null, null, null,
                    List.of("connection string had " + secret.reveal()), null, null, null));
        }
        assertThat(Files.readString(folder.resolve(RunJournal.FILE_NAME))).doesNotContain(secret.reveal()).contains("****");
    }

    @Test
    void aFailedStepAfterAFinishIsNotDone() {
        List<JournalEvent> events = List.of(
                new JournalEvent(JournalEvent.STEP_FINISHED, Instant.now(), "import", null, null, null, null, null, null, null),
                new JournalEvent(JournalEvent.STEP_STARTED, Instant.now(), "import", null, null, null, null, null, null, null),
                new JournalEvent(JournalEvent.STEP_FAILED, Instant.now(), "import", null, null, null, null, null, null, null));
        assertThat(MigrationRunner.finishedSteps(events)).isEmpty();
    }
}
