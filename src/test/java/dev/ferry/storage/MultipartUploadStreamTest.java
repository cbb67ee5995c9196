package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.local.LocalS3Server;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartUploadStreamTest {

    private static final int PART = MultipartUploadStream.MIN_PART_SIZE;
    private static final long MIB = 1024 * 1024;

    private final S3Client client = SharedLocalS3.client();

    @Test
    void streams40MiBInBoundedMemoryAndReadsBackTheSameBytes() throws IOException {
        String bucket = SharedLocalS3.newBucket();
        AtomicReference<MultipartUploadStream> stream = new AtomicReference<>();
        AtomicLong maxBuffered = new AtomicLong();
        AtomicLong lastProgress = new AtomicLong();
        MultipartUploadStream upload = new MultipartUploadStream(client, bucket, "big/object.bin", PART, written -> {
            lastProgress.set(written);
            maxBuffered.accumulateAndGet(stream.get().bufferedCapacity(), Math::max);
        }, "test-upload");
        stream.set(upload);

        String expectedSha;
        try (upload) {
            expectedSha = TestData.write(upload, 40 * MIB + 123, 42);
        }

        UploadedObject result = upload.result();
        assertThat(result.size()).isEqualTo(40 * MIB + 123);
        assertThat(result.sha256()).isEqualTo(expectedSha);
        assertThat(lastProgress.get()).isEqualTo(result.size());
        assertThat(maxBuffered.get()).isLessThanOrEqualTo(2L * PART);
        assertThat(client.headObject(r -> r.bucket(bucket).key("big/object.bin")).contentLength()).isEqualTo(result.size());

        try (ChecksumVerifyingInputStream in = new ChecksumVerifyingInputStream(
                client.getObject(r -> r.bucket(bucket).key("big/object.bin")))) {
            in.verify(result.sha256(), result.size(), "test-read", result.key());
        }
        assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void smallAndEmptyStreamsBecomeSingleObjects() throws IOException {
        String bucket = SharedLocalS3.newBucket();
        MultipartUploadStream empty = new MultipartUploadStream(client, bucket, "empty", PART, null, "test-upload");
        empty.close();
        assertThat(empty.result().size()).isZero();
        assertThat(empty.result().sha256()).isEqualTo(TestData.sha256Hex(new byte[0]));
        assertThat(client.getObjectAsBytes(r -> r.bucket(bucket).key("empty")).asByteArray()).isEmpty();

        MultipartUploadStream small = new MultipartUploadStream(client, bucket, "small", PART, null, "test-upload");
        small.write("hello".getBytes());
        small.write('!');
        UploadedObject result = small.finish();
        assertThat(result.size()).isEqualTo(6);
        assertThat(client.getObjectAsBytes(r -> r.bucket(bucket).key("small")).asUtf8String()).isEqualTo("hello!");

        MultipartUploadStream exact = new MultipartUploadStream(client, bucket, "exact", PART, null, "test-upload");
        String sha = TestData.write(exact, 2L * PART, 7);
        assertThat(exact.finish()).isEqualTo(new UploadedObject("exact", 2L * PART, sha));
        assertThat(client.headObject(r -> r.bucket(bucket).key("exact")).contentLength()).isEqualTo(2L * PART);
    }

    @Test
    void abortLeavesNeitherObjectNorPendingUpload() throws IOException {
        String bucket = SharedLocalS3.newBucket();
        MultipartUploadStream upload = new MultipartUploadStream(client, bucket, "half", PART, null, "test-upload");
        TestData.write(upload, 12 * MIB, 1);
        assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).hasSize(1);

        assertThat(upload.abort()).isTrue();
        upload.close();

        assertThat(client.listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
        assertThatThrownBy(() -> client.headObject(r -> r.bucket(bucket).key("half"))).isInstanceOf(NoSuchKeyException.class);
        assertThat(client.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        assertThatThrownBy(() -> upload.write(1)).isInstanceOf(FerryException.class).hasMessageContaining("aborted");
    }

    @Test
    void storageFailureIsExplainedAndAborts() {
        MultipartUploadStream upload = new MultipartUploadStream(client, "no-such-bucket", "x", PART, null, "dump");
        assertThatThrownBy(() -> TestData.write(upload, 6 * MIB, 2))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE);
                    assertThat(e.step()).isEqualTo("dump");
                    assertThat(e.getMessage()).contains("s3://no-such-bucket/x").contains("bucket does not exist");
                });
        assertThatThrownBy(() -> upload.write(1)).isInstanceOf(FerryException.class);
    }

    @Test
    void serverCrashMidUploadGivesAClearFailure() throws IOException {
        try (LocalS3Server server = LocalS3Server.start();
             S3Client own = S3ClientFactory.create(server.httpSettings("crash"))) {
            server.createBucket("crash");
            MultipartUploadStream upload = new MultipartUploadStream(own, "crash", "dump.bin", PART, null, "dump");
            TestData.write(upload, 11 * MIB, 3);
            server.kill();

            assertThatThrownBy(() -> {
                TestData.write(upload, 20 * MIB, 4);
                upload.close();
            }).isInstanceOfSatisfying(FerryException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                assertThat(e.step()).isEqualTo("dump");
                assertThat(e.getMessage()).contains("s3://crash/dump.bin").contains("could not be reached");
                assertThat(e.getMessage()).doesNotContain(server.secretKey().reveal());
            });
        }
    }

    @Test
    void refusesPartsBelowTheS3Minimum() {
        assertThatThrownBy(() -> new MultipartUploadStream(client, "b", "k", PART - 1, null, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
