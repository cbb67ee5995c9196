package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksumVerifyingInputStreamTest {

    private static final byte[] CONTENT = "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);

    @Test
    void matchingBytesPassAndUnreadRestIsCounted() throws IOException {
        ChecksumVerifyingInputStream in = new ChecksumVerifyingInputStream(new ByteArrayInputStream(CONTENT));
        assertThat(in.read()).isEqualTo('t');
        in.read(new byte[5]);
        in.verify(TestData.sha256Hex(CONTENT), CONTENT.length, "test", "k");
        assertThat(in.bytesRead()).isEqualTo(CONTENT.length);
    }

    @Test
    void differentSizeOrContentIsAMismatch() {
        byte[] changed = CONTENT.clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> new ChecksumVerifyingInputStream(new ByteArrayInputStream(changed))
                .verify(TestData.sha256Hex(CONTENT), CONTENT.length, "import", "db/x.dump.zst"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
                    assertThat(e.step()).isEqualTo("import");
                    assertThat(e.getMessage()).contains("db/x.dump.zst").contains("the object was changed or damaged in storage")
                            .contains("Re-run the dump (or restore from another artifact)");
                });
        assertThatThrownBy(() -> new ChecksumVerifyingInputStream(new ByteArrayInputStream(CONTENT, 0, 10))
                .verify(TestData.sha256Hex(CONTENT), CONTENT.length, "import", "k"))
                .hasMessageContaining("read 10 bytes");
    }

    @Test
    void detectsAnObjectDamagedOnTheServersDisk() throws IOException {
        S3Client client = SharedLocalS3.client();
        String bucket = SharedLocalS3.newBucket();
        MultipartUploadStream upload = new MultipartUploadStream(client, bucket, "db/20250101T000000Z/data.bin",
                MultipartUploadStream.MIN_PART_SIZE, null, "dump");
        TestData.write(upload, 100_000, 9);
        UploadedObject stored = upload.finish();

        Path file = storedFile(bucket, stored.key());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(50_000);
            int b = raf.read();
            raf.seek(50_000);
            raf.write(b ^ 0xFF);
        }

        ChecksumVerifyingInputStream in = new ChecksumVerifyingInputStream(client.getObject(r -> r.bucket(bucket).key(stored.key())));
        assertThatThrownBy(() -> in.verify(stored.sha256(), stored.size(), "import", stored.key()))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH));
    }

    @Test
    void detectsAnObjectReplacedWithOtherContent() {
        S3Client client = SharedLocalS3.client();
        String bucket = SharedLocalS3.newBucket();
        client.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromBytes(CONTENT));
        client.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("something else entirely"));
        ChecksumVerifyingInputStream in = new ChecksumVerifyingInputStream(client.getObject(r -> r.bucket(bucket).key("k")));
        assertThatThrownBy(() -> in.verify(TestData.sha256Hex(CONTENT), CONTENT.length, "import", "k"))
                .isInstanceOf(FerryException.class).hasMessageContaining("CHECKSUM_MISMATCH");
    }

    /** The filesystem backend keeps each object as a file named like its key under the bucket's folder. */
    private static Path storedFile(String bucket, String key) throws IOException {
        Path bucketFolder = SharedLocalS3.server().basedir().resolve(bucket);
        Path expected = bucketFolder.resolve(key);
        if (Files.isRegularFile(expected)) {
            return expected;
        }
        String name = Path.of(key).getFileName().toString();
        try (Stream<Path> files = Files.walk(bucketFolder)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no file for " + key + " under " + bucketFolder));
        }
    }
}
