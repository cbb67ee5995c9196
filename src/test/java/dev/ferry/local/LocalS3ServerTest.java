package dev.ferry.local;

import dev.ferry.storage.S3ClientFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LocalS3ServerTest {

    @Test
    void servesHttpAndHttpsWithRandomCredentialsAndCleansUp() throws Exception {
        Path basedir;
        Path root;
        try (LocalS3Server server = LocalS3Server.start()) {
            basedir = server.basedir();
            root = basedir.getParent();
            server.createBucket("plain");
            server.createBucket("plain"); // idempotent

            try (S3Client http = S3ClientFactory.create(server.httpSettings("plain"));
                 S3Client https = S3ClientFactory.create(server.httpsSettings("plain"))) {
                http.putObject(r -> r.bucket("plain").key("a/b.txt"), RequestBody.fromString("over http"));
                assertThat(https.getObjectAsBytes(r -> r.bucket("plain").key("a/b.txt")).asUtf8String()).isEqualTo("over http");
            }

            assertThat(server.httpsEndpoint().getScheme()).isEqualTo("https");
            assertThat(Files.readString(server.caCertificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
            Path properties = root.resolve("s3proxy.properties");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(properties))).isEqualTo("rw-------");
            assertThat(Files.readString(properties)).contains("s3proxy.credential=" + server.secretKey().reveal());
            assertThat(server.secretKey().toString()).doesNotContain(server.secretKey().reveal());
            List<String> argv = ProcessHandle.current().descendants()
                    .flatMap(p -> p.info().arguments().stream().flatMap(a -> java.util.Arrays.stream(a)))
                    .toList();
            assertThat(argv).isNotEmpty().noneMatch(arg -> arg.contains(server.secretKey().reveal()));
        }
        assertThat(root).doesNotExist();
    }

    @Test
    void killEndsTheProcessAndCloseStillCleansUp() {
        LocalS3Server server = LocalS3Server.start();
        Path root = server.basedir().getParent();
        server.kill();
        assertThat(server.isRunning()).isFalse();
        server.close();
        server.close();
        assertThat(root).doesNotExist();
    }
}
