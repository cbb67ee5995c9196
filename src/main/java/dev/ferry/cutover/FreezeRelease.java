package dev.ferry.cutover;

import dev.ferry.steps.ConnectionSettings;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engines;
import dev.ferry.engine.SourceFreeze;
import dev.ferry.runtime.Settings;

/** Releases a freeze a run left (for {@code ferry release RUN}): collects the source's credentials again, lifts it. */
public final class FreezeRelease {

    private FreezeRelease() {
    }

    /** @return what was done, for the console and the journal */
    public static String release(Settings raw, Settings resolved, SourceFreeze freeze, String step) {
        DatabaseEndpoint source = ConnectionSettings.database("source", raw, resolved, step);
        if (!freeze.holds(source)) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "The migration file no longer points at the frozen database",
                    "the run froze " + freeze.where() + "; the file's source is now " + source,
                    "Undo the change to the file's source.* settings, or release by hand: "
                            + (freeze.engine().startsWith("postgres")
                            ? "ALTER DATABASE " + freeze.database() + " RESET default_transaction_read_only"
                            : "SET GLOBAL read_only = OFF"));
        }
        return Engines.forName(source.engine(), step).releaseWrites(source, step);
    }
}
