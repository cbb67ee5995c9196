package dev.ferry.component;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.ServerVersion;

import java.util.List;

/**
 * A dump ready to stream (variable {@code ferry.dump}): the commands whose output makes the
 * artifact's objects, started by the upload so that no byte waits anywhere.
 */
public record DumpJob(DatabaseEndpoint source, ServerVersion sourceVersion, ServerVersion toolVersion, String toolName,
                      List<DumpPart> parts) {
}
