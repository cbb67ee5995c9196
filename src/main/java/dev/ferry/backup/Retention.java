package dev.ferry.backup;

import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ReadLease;
import dev.ferry.storage.StoredArtifact;
import dev.ferry.storage.WriterLease;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Keep the newest N" over one database's artifact folder ({@code <prefix>/<database>/}): the newest
 * {@code keep} complete artifacts stay, and so do the artifact a run just wrote, every artifact an
 * import holds a {@link ReadLease} on, and, while a run holds the {@link WriterLease}, every folder
 * without a manifest (that run may be writing it). The rest is deleted, manifest first. Folders
 * without a manifest that no run writes are what a dead run left: deleted too.
 */
public final class Retention {

    /** One folder kept or deleted, and why. */
    public record Outcome(String id, String why) {
    }

    /** What a pass of retention did. */
    public record Result(String database, int keep, List<Outcome> kept, List<Outcome> deleted) {
    }

    private Retention() {
    }

    /**
     * @param justWritten the artifact this run wrote, never deleted (null outside a run)
     * @param runId       the run applying it (its own writer lease is no reason to keep anything), or null
     */
    public static Result apply(ArtifactStore store, String database, int keep, ArtifactFolder justWritten, String runId, String step) {
        List<StoredArtifact> newestFirst = new ArrayList<>(store.list(database));
        java.util.Collections.reverse(newestFirst);
        List<Outcome> kept = new ArrayList<>();
        List<Outcome> deleted = new ArrayList<>();
        int completeSeen = 0;
        for (StoredArtifact artifact : newestFirst) {
            ArtifactFolder folder = artifact.folder();
            String id = folder.name();
            if (folder.equals(justWritten)) {
                completeSeen++;
                kept.add(new Outcome(id, "written by this run"));
                continue;
            }
            if (artifact.complete() && completeSeen < keep) {
                completeSeen++;
                kept.add(new Outcome(id, "one of the newest " + keep));
                continue;
            }
            if (!artifact.complete()) {
                // asked now, not before the listing: a run that finished since then holds no lease but wrote its manifest
                Optional<WriterLease.Holder> writer = WriterLease.heldByOther(store.client(), store.settings(), database,
                        runId == null ? "" : runId, step);
                if (writer.isPresent()) {
                    kept.add(new Outcome(id, "no manifest yet and " + writer.get().describe() + " writes this database's artifacts"));
                    continue;
                }
                if (store.hasManifest(folder, step)) {
                    kept.add(new Outcome(id, "completed while retention ran"));
                    continue;
                }
            }
            List<ReadLease.Reader> readers = ReadLease.readers(store, folder, step);
            if (!readers.isEmpty()) {
                kept.add(new Outcome(id, "read by " + readers.get(0).describe()));
                continue;
            }
            store.deleteFolder(folder, step);
            deleted.add(new Outcome(id, artifact.complete() ? "older than the newest " + keep : "no manifest: left by a run that stopped"));
        }
        return new Result(database, keep, kept, deleted);
    }
}
