package dev.ferry.online;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.ChangeStream;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.runtime.Settings;
import dev.ferry.steps.ConnectionSettings;

/** Drops a change stream a run left (for {@code ferry release RUN}): collects both sides' credentials again, drops it. */
public final class ChangeStreamRelease {

    private ChangeStreamRelease() {
    }

    /** @return what was done, for the console and the journal */
    public static String release(Settings raw, Settings resolved, ChangeStream stream, String step) {
        DatabaseEndpoint source = ConnectionSettings.database("source", raw, resolved, step);
        DatabaseEndpoint target = ConnectionSettings.database("target", raw, resolved, step);
        if (!stream.fromSource(source) || !stream.toTarget(target)) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "The migration file no longer points at the stream's databases",
                    "the run created " + stream.describe() + "; the file now says " + source + " and " + target,
                    stream.replicatedByBinlog() ? "Undo the change to the file's source.* and target.* settings, or remove it by hand"
                            + " on the target: STOP SLAVE '" + stream.subscription() + "'; RESET SLAVE '" + stream.subscription() + "' ALL"
                            : "Undo the change to the file's source.* and target.* settings, or drop them by hand: on the target ALTER"
                            + " SUBSCRIPTION " + stream.subscription() + " DISABLE, ... SET (slot_name = NONE), DROP SUBSCRIPTION; on the"
                            + " source SELECT pg_drop_replication_slot('" + stream.slot() + "') and DROP PUBLICATION " + stream.publication());
        }
        return Engines.forName(source.engine(), step).changeCapture().orElseThrow().stop(source, target, stream, step);
    }
}
