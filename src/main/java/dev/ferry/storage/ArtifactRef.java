package dev.ferry.storage;

/** A complete artifact, as steps hand it on: where it is and its manifest. */
public record ArtifactRef(String uri, String bucket, ArtifactFolder folder, Manifest manifest) {
}
