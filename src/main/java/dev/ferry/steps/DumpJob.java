package dev.ferry.steps;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.SnapshotDump;

/**
 * A dump ready to stream (variable {@code ferry.dump}): the snapshot whose parts' commands make
 * the artifact's objects, started by the upload so that no byte waits anywhere, and whose figures
 * the manifest records.
 */
public record DumpJob(DatabaseEndpoint source, ServerVersion sourceVersion, ServerVersion toolVersion, String toolName,
                      SnapshotDump snapshot) {
}
