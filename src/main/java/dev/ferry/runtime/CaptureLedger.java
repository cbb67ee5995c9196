package dev.ferry.runtime;

import dev.ferry.engine.ChangeStream;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's journal says about its change stream: an intent line is written before the slot is
 * created and a dropped line after the stream's parts are gone, so the journal always knows of a
 * slot that may still hold WAL on the source, even after a crash.
 */
public final class CaptureLedger {

    private CaptureLedger() {
    }

    /** The change stream the run created and nobody dropped yet, if any. */
    public static Optional<ChangeStream> outstanding(List<JournalEvent> events) {
        ChangeStream outstanding = null;
        for (JournalEvent event : events) {
            if (JournalEvent.CAPTURE_INTENT.equals(event.event()) && event.outputs() != null
                    && event.outputs().containsKey(Variables.CHANGES)) {
                outstanding = (ChangeStream) JournalCodec.decode(Variables.CHANGES, event.outputs().get(Variables.CHANGES));
            } else if (JournalEvent.CAPTURE_DROPPED.equals(event.event())) {
                outstanding = null;
            }
        }
        return Optional.ofNullable(outstanding);
    }

    /** Journals that {@code stream} was dropped outside a run ({@code ferry release}). */
    public static void dropped(RunJournal journal, ChangeStream stream, String step, String note) {
        journal.append(new JournalEvent(JournalEvent.CAPTURE_DROPPED, Instant.now(), step, null,
                Map.of(Variables.CHANGES, JournalCodec.encode(stream)), null, List.of(note), null, null, null));
    }
}
