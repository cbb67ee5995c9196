package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads an object (typically an S3 GetObject stream) while counting its bytes and computing its
 * SHA-256, so that it can be checked against the manifest once read.
 */
public final class ChecksumVerifyingInputStream extends FilterInputStream {

    private final MessageDigest sha256;
    private long bytesRead;
    private String digestHex;

    public ChecksumVerifyingInputStream(InputStream in) {
        super(in);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            bytesRead++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            sha256.update(buffer, offset, n);
            bytesRead += n;
        }
        return n;
    }

    /** Skipped bytes are read, so that they count in the checksum. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    public long bytesRead() {
        return bytesRead;
    }

    /** The SHA-256 of everything read; reading ends once this is asked for. */
    public String sha256Hex() {
        if (digestHex == null) {
            digestHex = HexFormat.of().formatHex(sha256.digest());
        }
        return digestHex;
    }

    /**
     * Reads what is left of the object, then fails unless size and SHA-256 match the expected ones.
     */
    public void verify(String expectedSha256, long expectedSize, String step, String objectKey) {
        try {
            skip(Long.MAX_VALUE);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.STORAGE, step, "Could not read the end of " + objectKey,
                    e.getMessage(), "Check that the storage server is reachable and run again");
        }
        String actual = sha256Hex();
        if (bytesRead != expectedSize || !actual.equalsIgnoreCase(expectedSha256)) {
            throw new FerryException(ErrorCode.CHECKSUM_MISMATCH, step, "Object " + objectKey + " does not match its manifest",
                    "expected " + expectedSize + " bytes with SHA-256 " + expectedSha256 + ", read " + bytesRead
                            + " bytes with SHA-256 " + actual + ": the object was changed or damaged in storage",
                    "Re-run the dump (or restore from another artifact)");
        }
    }
}
