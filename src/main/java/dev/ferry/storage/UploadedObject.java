package dev.ferry.storage;

/** An object Ferry wrote: its key, its size in bytes and the SHA-256 of those bytes (lower-case hex). */
public record UploadedObject(String key, long size, String sha256) {
}
