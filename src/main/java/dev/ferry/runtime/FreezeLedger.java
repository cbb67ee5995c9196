package dev.ferry.runtime;

import dev.ferry.engine.SourceFreeze;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's journal says about the source's write freeze: an intent line is written before the
 * freeze takes effect and a release line after it is lifted, so the journal always knows of a freeze
 * that may be in effect, even after a crash.
 */
public final class FreezeLedger {

    private FreezeLedger() {
    }

    /** The freeze the run made and nobody released yet, if any. */
    public static Optional<SourceFreeze> outstanding(List<JournalEvent> events) {
        SourceFreeze outstanding = null;
        for (JournalEvent event : events) {
            if (JournalEvent.FREEZE_INTENT.equals(event.event()) && event.outputs() != null
                    && event.outputs().containsKey(Variables.FREEZE)) {
                outstanding = (SourceFreeze) JournalCodec.decode(Variables.FREEZE, event.outputs().get(Variables.FREEZE));
            } else if (JournalEvent.FREEZE_RELEASED.equals(event.event())) {
                outstanding = null;
            }
        }
        return Optional.ofNullable(outstanding);
    }

    /** Journals that {@code freeze} was released outside a run ({@code ferry release}). */
    public static void released(RunJournal journal, SourceFreeze freeze, String step, String note) {
        journal.append(new JournalEvent(JournalEvent.FREEZE_RELEASED, Instant.now(), step, null,
                Map.of(Variables.FREEZE, JournalCodec.encode(freeze)), null, List.of(note), null, null, null));
    }
}
