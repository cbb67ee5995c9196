package dev.ferry.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Reproducible bytes written in chunks, never held whole, with their SHA-256. */
final class TestData {

    private TestData() {
    }

    /** Writes {@code size} pseudo-random bytes in chunks of varying size and returns their SHA-256. */
    static String write(OutputStream out, long size, long seed) throws IOException {
        MessageDigest sha256 = sha256();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[100_003];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(left, 1 + random.nextInt(chunk.length));
            for (int i = 0; i < n; i++) {
                chunk[i] = (byte) random.nextInt(256);
            }
            out.write(chunk, 0, n);
            sha256.update(chunk, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
