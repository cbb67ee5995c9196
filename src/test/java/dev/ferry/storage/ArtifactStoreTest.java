package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactStoreTest {

    private static final Instant OLD = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NEWER = Instant.parse("2025-02-01T00:00:00Z");
    private static final Instant NEWEST_UNFINISHED = Instant.parse("2025-03-01T00:00:00Z");

    private final S3Client client = SharedLocalS3.client();

    @Test
    void writesAndReadsAManifestAndFindsTheLatestCompleteArtifact() {
        String bucket = SharedLocalS3.newBucket();
        ArtifactStore store = new ArtifactStore(client, SharedLocalS3.server().httpSettings(bucket).withPrefix("team"));
        ArtifactFolder old = store.newFolder("shop", OLD);
        ArtifactFolder newer = store.newFolder("shop", NEWER);
        ArtifactFolder unfinished = store.newFolder("shop", NEWEST_UNFINISHED);
        store.writeManifest(old, ManifestJsonTest.sample(old));
        put(bucket, newer.objectKey("shop.dump.zst"), "dump");
        store.writeManifest(newer, ManifestJsonTest.sample(newer));
        put(bucket, unfinished.objectKey("shop.dump.zst"), "half a dump");
        store.writeManifest(store.newFolder("other", NEWEST_UNFINISHED), ManifestJsonTest.sample(store.newFolder("other", NEWEST_UNFINISHED)));

        assertThat(store.readManifest(newer, "import")).isEqualTo(ManifestJsonTest.sample(newer));
        assertThat(store.list("shop")).extracting(StoredArtifact::folder, StoredArtifact::complete).containsExactly(
                tuple(old, true), tuple(newer, true), tuple(unfinished, false));
        assertThat(store.list("shop").get(2).storedBytes()).as("what the unfinished folder holds").isEqualTo("half a dump".length());
        assertThat(store.latest("shop")).contains(newer);
        assertThat(store.latest("team", "nobody")).isEmpty();
        assertThat(store.list("", "shop")).isEmpty();
        assertThat(store.uri(newer)).isEqualTo("s3://" + bucket + "/team/shop/20250201T000000Z/");
    }

    @Test
    void refusesAFolderWithoutManifest() {
        String bucket = SharedLocalS3.newBucket();
        ArtifactStore store = new ArtifactStore(client, SharedLocalS3.server().httpSettings(bucket));
        ArtifactFolder unfinished = store.newFolder("shop", NEWEST_UNFINISHED);
        put(bucket, unfinished.objectKey("shop.dump.zst"), "half a dump");

        assertThatThrownBy(() -> store.readManifest(unfinished, "import"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_MISSING);
                    assertThat(e.step()).isEqualTo("import");
                    assertThat(e.getMessage()).contains(store.uri(unfinished))
                            .contains("no manifest.json: the dump did not finish, so this folder is not an importable artifact")
                            .contains("from a run's report");
                });
        assertThatThrownBy(() -> store.readManifest(store.newFolder("shop", OLD), "import"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_MISSING);
                    assertThat(e.why()).contains("nothing is stored");
                });
    }

    @Test
    void streamsACompressedObjectAndReadsItBackVerified() throws IOException {
        String bucket = SharedLocalS3.newBucket();
        ArtifactStore store = new ArtifactStore(client, SharedLocalS3.server().httpsSettings(bucket));
        ArtifactFolder folder = store.newFolder("shop", OLD);
        String key = folder.objectKey("shop.dump" + Compression.ZSTD.fileSuffix());

        MultipartUploadStream upload = store.upload(key, MultipartUploadStream.MIN_PART_SIZE, null, "dump");
        String uncompressedSha;
        try (OutputStream out = Compression.ZSTD.compress(upload)) {
            uncompressedSha = TestData.write(out, 3_000_000, 8);
        }
        UploadedObject stored = upload.result();
        Manifest.StoredObject object = new Manifest.StoredObject("shop.dump.zst", key, "raw", stored.size(), stored.sha256(), 3_000_000);

        ChecksumVerifyingInputStream raw = store.openVerified(object, "import");
        try (InputStream in = Compression.ZSTD.decompress(raw)) {
            MessageDigest sha = sha256();
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(uncompressedSha);
            raw.verify(object.sha256(), object.size(), "import", key);
        }
    }

    @Test
    void missingObjectIsExplained() {
        String bucket = SharedLocalS3.newBucket();
        ArtifactStore store = new ArtifactStore(client, SharedLocalS3.server().httpSettings(bucket));
        assertThatThrownBy(() -> store.openObject("shop/x/gone.zst", "import"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE);
                    assertThat(e.getMessage()).contains("s3://" + bucket + "/shop/x/gone.zst");
                });
    }

    private void put(String bucket, String key, String content) {
        client.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
