package dev.ferry.storage;

/**
 * An artifact folder found in a bucket; {@code complete} when its manifest.json is there;
 * {@code storedBytes} what its objects hold now (leases and manifest included).
 */
public record StoredArtifact(ArtifactFolder folder, boolean complete, long storedBytes) {

    public StoredArtifact(ArtifactFolder folder, boolean complete) {
        this(folder, complete, 0);
    }
}
