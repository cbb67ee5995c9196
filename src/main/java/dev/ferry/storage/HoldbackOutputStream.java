package dev.ferry.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Forwards everything written to it except the last {@code holdback} bytes, which it keeps until
 * told what to do with them: {@link #release()} writes them and closes downstream, {@link #discard()}
 * (and {@link #close()} without a release) closes downstream without them. A restore tool that
 * commits only at the end of its input thus never sees that end unless the checksum was verified.
 */
public final class HoldbackOutputStream extends OutputStream {

    public static final int DEFAULT_HOLDBACK = 64 * 1024;

    private final OutputStream downstream;
    private final byte[] ring;
    private final byte[] oneByte = new byte[1];
    private int start;
    private int held;
    private long forwarded;
    private boolean closed;

    public HoldbackOutputStream(OutputStream downstream) {
        this(downstream, DEFAULT_HOLDBACK);
    }

    public HoldbackOutputStream(OutputStream downstream, int holdback) {
        if (holdback < 1) {
            throw new IllegalArgumentException("holdback must be at least one byte");
        }
        this.downstream = downstream;
        this.ring = new byte[holdback];
    }

    @Override
    public void write(int b) throws IOException {
        oneByte[0] = (byte) b;
        write(oneByte, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        int overflow = held + length - ring.length;
        if (overflow > 0) {
            int fromRing = Math.min(overflow, held);
            forwardFromRing(fromRing);
            int fromInput = overflow - fromRing;
            if (fromInput > 0) {
                downstream.write(bytes, offset, fromInput);
                forwarded += fromInput;
                offset += fromInput;
                length -= fromInput;
            }
        }
        appendToRing(bytes, offset, length);
    }

    /** Hands nothing short of a release downstream; only the already forwarded bytes are flushed. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        downstream.flush();
    }

    /** Writes the held bytes and closes downstream: the input is complete and verified. */
    public void release() throws IOException {
        ensureOpen();
        forwardFromRing(held);
        closed = true;
        downstream.close();
    }

    /** Closes downstream without the held bytes, so it sees a truncated input. */
    public void discard() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        held = 0;
        downstream.close();
    }

    /** Same as {@link #discard()} unless {@link #release()} came first. */
    @Override
    public void close() throws IOException {
        discard();
    }

    /** Bytes written downstream so far. */
    public long forwardedBytes() {
        return forwarded;
    }

    /** Bytes held back right now. */
    public int heldBytes() {
        return held;
    }

    private void forwardFromRing(int count) throws IOException {
        int first = Math.min(count, ring.length - start);
        downstream.write(ring, start, first);
        if (count > first) {
            downstream.write(ring, 0, count - first);
        }
        start = (start + count) % ring.length;
        held -= count;
        forwarded += count;
    }

    private void appendToRing(byte[] bytes, int offset, int length) {
        int end = (start + held) % ring.length;
        int first = Math.min(length, ring.length - end);
        System.arraycopy(bytes, offset, ring, end, first);
        if (length > first) {
            System.arraycopy(bytes, offset + first, ring, 0, length - first);
        }
        held += length;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("holdback stream is closed");
        }
    }
}
