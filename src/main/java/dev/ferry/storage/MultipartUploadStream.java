package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Streams bytes of unknown length into one S3 object with a multipart upload: fixed-size parts,
 * one part uploading while the next fills, so memory stays at about two parts whatever the size.
 * The SHA-256 and size of the object are computed on the way.
 *
 * <p>{@link #close()} (or {@link #finish()}) completes the object. When the producer of the bytes
 * fails, call {@link #abort()} <em>before</em> closing anything that wraps this stream, so that no
 * half object is completed; after an abort, close does nothing. Any storage failure aborts by itself.
 * A stream that never fills one part is sent with a single PutObject (this covers empty objects).
 */
public final class MultipartUploadStream extends OutputStream {

    public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
    /** S3's smallest part, except for the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(MultipartUploadStream.class);

    private enum State { OPEN, FINISHED, ABORTED }

    private final S3Client client;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final LongConsumer progress;
    private final String step;
    private final MessageDigest sha256;
    private final ExecutorService uploader;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final byte[] oneByte = new byte[1];

    private byte[] filling;
    private int filled;
    private byte[] uploading;
    private Future<CompletedPart> inFlight;
    private String uploadId;
    private long size;
    private State state = State.OPEN;
    private UploadedObject result;

    public MultipartUploadStream(S3Client client, String bucket, String key) {
        this(client, bucket, key, DEFAULT_PART_SIZE, null, "upload");
    }

    /**
     * @param partSize bytes per part, at least {@link #MIN_PART_SIZE}
     * @param progress told the total bytes written after each write; may be null
     * @param step     the step named in failures
     */
    public MultipartUploadStream(S3Client client, String bucket, String key, int partSize, LongConsumer progress, String step) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum of " + MIN_PART_SIZE);
        }
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.progress = progress == null ? written -> { } : progress;
        this.step = step;
        this.sha256 = newSha256();
        this.filling = new byte[partSize];
        this.uploader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "s3-upload-" + key);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void write(int b) {
        oneByte[0] = (byte) b;
        write(oneByte, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensureOpen();
        while (length > 0) {
            int n = Math.min(length, partSize - filled);
            System.arraycopy(bytes, offset, filling, filled, n);
            sha256.update(bytes, offset, n);
            filled += n;
            size += n;
            offset += n;
            length -= n;
            if (filled == partSize) {
                handOffFullPart();
            }
        }
        progress.accept(size);
    }

    /** Parts cannot be sent short of their size, so flushing has nothing to do. */
    @Override
    public void flush() {
    }

    @Override
    public void close() {
        if (state == State.OPEN) {
            finish();
        }
    }

    /** Completes the object and returns what was stored. */
    public UploadedObject finish() {
        if (state == State.FINISHED) {
            return result;
        }
        ensureOpen();
        try {
            if (uploadId == null) {
                client.putObject(request -> request.bucket(bucket).key(key).contentLength((long) filled),
                        body(filling, filled));
            } else {
                awaitInFlight();
                if (filled > 0) {
                    parts.add(uploadPart(parts.size() + 1, filling, filled));
                }
                client.completeMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            }
        } catch (SdkException e) {
            throw fail("Could not complete " + uri(), e);
        }
        state = State.FINISHED;
        uploader.shutdown();
        filling = null;
        uploading = null;
        result = new UploadedObject(key, size, HexFormat.of().formatHex(sha256.digest()));
        return result;
    }

    /**
     * Gives up: waits for the part in flight, then aborts the multipart upload so that neither an
     * object nor stored parts are left. Never throws; a failed abort is logged with the upload id.
     *
     * @return whether nothing is left behind in the bucket
     */
    public boolean abort() {
        if (state != State.OPEN) {
            return state == State.ABORTED;
        }
        state = State.ABORTED;
        filling = null;
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        uploader.shutdownNow();
        try {
            uploader.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uploading = null;
        if (uploadId == null) {
            return true;
        }
        try {
            client.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId));
            return true;
        } catch (SdkException e) {
            LOG.warn("Could not abort the unfinished upload {} of {}: its parts stay in the bucket until "
                    + "aborted or removed by a lifecycle rule ({})", uploadId, uri(), e.getMessage());
            return false;
        }
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    public String key() {
        return key;
    }

    /** Bytes held in part buffers right now: at most two parts. */
    public long bufferedCapacity() {
        return (filling == null ? 0 : filling.length) + (uploading == null ? 0 : uploading.length);
    }

    /** What was stored, once finished. */
    public UploadedObject result() {
        if (result == null) {
            throw new IllegalStateException("upload of " + uri() + " is not finished");
        }
        return result;
    }

    private void handOffFullPart() {
        awaitInFlight();
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(request -> request.bucket(bucket).key(key)).uploadId();
            }
        } catch (SdkException e) {
            throw fail("Could not start the upload of " + uri(), e);
        }
        int partNumber = parts.size() + 1;
        if (partNumber > MAX_PARTS) {
            abort();
            throw new FerryException(ErrorCode.STORAGE, step, "Could not upload " + uri(),
                    "the object needs more than " + MAX_PARTS + " parts of " + partSize + " bytes, S3's limit",
                    "Raise the part size (objects up to " + MAX_PARTS + " times the part size fit)");
        }
        byte[] full = filling;
        int length = filled;
        byte[] free = uploading;
        uploading = full;
        inFlight = uploader.submit(() -> uploadPart(partNumber, full, length));
        filling = free != null ? free : new byte[partSize];
        filled = 0;
    }

    private CompletedPart uploadPart(int partNumber, byte[] buffer, int length) {
        String eTag = client.uploadPart(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) length),
                body(buffer, length)).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
    }

    private void awaitInFlight() {
        if (inFlight == null) {
            return;
        }
        try {
            parts.add(inFlight.get());
            inFlight = null;
        } catch (ExecutionException e) {
            inFlight = null;
            Throwable cause = e.getCause();
            if (cause instanceof SdkException sdk) {
                throw fail("Could not upload part " + (parts.size() + 1) + " of " + uri(), sdk);
            }
            abort();
            throw new FerryException(ErrorCode.STORAGE, step, "Could not upload part " + (parts.size() + 1) + " of " + uri(),
                    String.valueOf(cause), "Run again; report a bug if it repeats", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new FerryException(ErrorCode.STORAGE, step, "Upload of " + uri() + " was interrupted",
                    "Ferry is stopping", "Run again");
        }
    }

    /** Aborts and explains the failure, saying whether the unfinished upload could be cleaned up. */
    private FerryException fail(String what, SdkException failure) {
        boolean clean = abort();
        FerryException explained = StorageFailures.of(step, what, failure);
        if (clean) {
            return explained;
        }
        return new FerryException(explained.code(), step, what,
                explained.why() + "; the unfinished upload " + uploadId + " could not be aborted either",
                explained.next() + ", then abort that upload or let a lifecycle rule remove it", failure);
    }

    private void ensureOpen() {
        if (state == State.ABORTED) {
            throw new FerryException(ErrorCode.STORAGE, step, "Upload of " + uri() + " was aborted",
                    "nothing more can be written to it", "Start a new upload");
        }
        if (state == State.FINISHED) {
            throw new IllegalStateException("upload of " + uri() + " is already complete");
        }
    }

    private String uri() {
        return "s3://" + bucket + "/" + key;
    }

    private static RequestBody body(byte[] buffer, int length) {
        // A provider rather than fromBytes: the SDK would copy the part; this lets it re-read (for retries) without a copy.
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                "application/octet-stream");
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
