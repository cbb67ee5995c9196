package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.List;
import java.util.Optional;

/**
 * {@code ferry storage cleanup}: the unfinished multipart uploads under one database's artifact
 * folder ({@code <prefix>/<database>/}), listed and aborted. An upload stores parts that cost money
 * and are invisible to a listing of objects until it is completed or aborted. While another run
 * holds the writer lease, its uploads are in flight: cleanup then refuses, unless forced.
 */
public final class StorageCleanup {

    public static final String STEP = "storage-cleanup";

    private StorageCleanup() {
    }

    /** What was found and, unless {@code listOnly}, aborted. */
    public static List<ArtifactStore.UnfinishedUpload> run(ArtifactStore store, String database, boolean listOnly, boolean force) {
        List<ArtifactStore.UnfinishedUpload> found = store.unfinishedUploads(database, STEP);
        if (listOnly || found.isEmpty()) {
            return found;
        }
        Optional<WriterLease.Holder> writer = WriterLease.heldByOther(store.client(), store.settings(), database, "", STEP);
        if (writer.isPresent() && !force) {
            throw new FerryException(ErrorCode.RUN_LOCKED, STEP, "A run is writing the artifacts of " + database + " right now",
                    "the writer lease is held by " + writer.get().describe() + "; its uploads are in flight",
                    "Wait for it to end, or give --force if that run is known to be dead");
        }
        for (ArtifactStore.UnfinishedUpload upload : found) {
            store.abortUpload(upload, STEP);
        }
        return found;
    }
}
