package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.local.LocalS3Server;
import dev.ferry.local.SelfSignedKeystore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ClientFactoryTest {

    private final LocalS3Server server = SharedLocalS3.server();

    @Test
    void httpsWithTheServersCaWorks() {
        String bucket = SharedLocalS3.newBucket();
        try (S3Client client = S3ClientFactory.create(server.httpsSettings(bucket))) {
            client.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("tls"));
            assertThat(client.getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String()).isEqualTo("tls");
        }
    }

    @Test
    void httpsWithAnotherCaFailsClearly(@TempDir Path folder) {
        SelfSignedKeystore other = SelfSignedKeystore.generate(folder, "test");
        String bucket = SharedLocalS3.newBucket();
        ArtifactStore store = new ArtifactStore(
                S3ClientFactory.create(server.httpsSettings(bucket).withCaBundle(other.certificatePem())),
                server.httpsSettings(bucket));
        assertThatThrownBy(() -> store.list("db"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(e.step()).isEqualTo("list-artifacts");
                    assertThat(e.why()).contains("certificate is not trusted");
                    assertThat(e.next()).contains("CA bundle");
                });
    }

    @Test
    void httpsWithoutVerificationTrustsAnyCertificate() {
        String bucket = SharedLocalS3.newBucket();
        ObjectStoreSettings settings = server.httpsSettings(bucket).withCaBundle(null).withVerifyTls(false);
        try (S3Client client = S3ClientFactory.create(settings)) {
            assertThat(client.listObjectsV2(r -> r.bucket(bucket)).contents()).isEmpty();
        }
        assertThat(settings.describe()).contains("TLS NOT VERIFIED");
    }

    @Test
    void unreadableCaBundleIsBadInput(@TempDir Path folder) throws Exception {
        Path notPem = Files.writeString(folder.resolve("ca.pem"), "not a certificate");
        assertThatThrownBy(() -> S3ClientFactory.create(server.httpsSettings("b").withCaBundle(notPem), "connect-storage"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(e.step()).isEqualTo("connect-storage");
                    assertThat(e.getMessage()).contains(notPem.toString());
                });
    }

    @Test
    void wrongSecretKeyIsACredentialsFailureWithoutTheSecret() {
        String bucket = SharedLocalS3.newBucket();
        Secret wrong = Secret.of("definitely-not-the-secret-key", "test");
        ObjectStoreSettings settings = ObjectStoreSettings.of(server.httpEndpoint(), bucket, server.accessKey(), wrong);
        try (S3Client client = S3ClientFactory.create(settings)) {
            ArtifactStore store = new ArtifactStore(client, settings);
            assertThatThrownBy(() -> store.list("db"))
                    .isInstanceOfSatisfying(FerryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS);
                        assertThat(e.getMessage()).doesNotContain(wrong.reveal()).doesNotContain(server.secretKey().reveal());
                    });
        }
    }

    @Test
    void describeShowsNoSecret() {
        ObjectStoreSettings settings = server.httpSettings("bucket").withPrefix("/team//dumps/");
        assertThat(settings.prefix()).isEqualTo("team/dumps");
        assertThat(settings.describe()).contains("s3://bucket/team/dumps").contains(server.accessKey())
                .doesNotContain(server.secretKey().reveal());
        assertThat(settings.toString()).doesNotContain(server.secretKey().reveal());
    }
}
