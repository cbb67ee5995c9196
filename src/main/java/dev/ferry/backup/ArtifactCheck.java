package dev.ferry.backup;

/** What {@code ferry:check-artifact} read back: the artifact, its objects and their bytes, every SHA-256 matched. */
public record ArtifactCheck(String artifact, int objects, long bytes) {
}
