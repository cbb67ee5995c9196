package dev.ferry.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One artifact's folder in a bucket: {@code <prefix>/<database>/<UTC timestamp>/}. */
public record ArtifactFolder(String prefix, String database, Instant createdAt) {

    public ArtifactFolder {
        prefix = ArtifactLayout.normalisePrefix(prefix);
        ArtifactLayout.checkDatabase(database);
        createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The folder's key, with a trailing slash and no leading one. */
    public String path() {
        return ArtifactLayout.databaseFolder(prefix, database) + ArtifactLayout.timestamp(createdAt) + "/";
    }

    public String objectKey(String name) {
        return path() + name;
    }

    public String manifestKey() {
        return objectKey(ArtifactLayout.MANIFEST_NAME);
    }

    @Override
    public String toString() {
        return path();
    }
}
