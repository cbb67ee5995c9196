package dev.ferry.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One artifact's folder in a bucket: {@code <prefix>/<database>/<UTC timestamp>-<run id>/}. The run
 * id makes the name unique (two runs in one second never share a folder); folders written before
 * run ids were part of the name have none ({@code run} null).
 */
public record ArtifactFolder(String prefix, String database, Instant createdAt, String run) {

    public ArtifactFolder {
        prefix = ArtifactLayout.normalisePrefix(prefix);
        ArtifactLayout.checkDatabase(database);
        createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
        run = run == null || run.isBlank() ? null : ArtifactLayout.checkRun(run);
    }

    public ArtifactFolder(String prefix, String database, Instant createdAt) {
        this(prefix, database, createdAt, null);
    }

    /** The folder's last segment: the timestamp and, when known, the run id. */
    public String name() {
        return ArtifactLayout.timestamp(createdAt) + (run == null ? "" : "-" + run);
    }

    /** The folder's key, with a trailing slash and no leading one. */
    public String path() {
        return ArtifactLayout.databaseFolder(prefix, database) + name() + "/";
    }

    public String objectKey(String name) {
        return path() + name;
    }

    public String manifestKey() {
        return objectKey(ArtifactLayout.MANIFEST_NAME);
    }

    /** An object's key in this folder from the manifest's key: relative to the folder, or (older manifests) absolute. */
    public String resolve(String manifestKey) {
        int slash = manifestKey.lastIndexOf('/');
        return objectKey(slash < 0 ? manifestKey : manifestKey.substring(slash + 1));
    }

    @Override
    public String toString() {
        return path();
    }
}
