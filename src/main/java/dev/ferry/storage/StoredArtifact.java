package dev.ferry.storage;

/** An artifact folder found in a bucket; {@code complete} when its manifest.json is there. */
public record StoredArtifact(ArtifactFolder folder, boolean complete) {
}
