package dev.ferry.testing;

import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A throwaway certificate authority and a server certificate it signed for 127.0.0.1 and localhost (openssl). */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    public static TestCertificates generate(Path folder, String name) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path caKey = folder.resolve(name + "-ca.key");
        Path ca = folder.resolve(name + "-ca.pem");
        Path key = folder.resolve(name + "-server.key");
        Path request = folder.resolve(name + "-server.csr");
        Path certificate = folder.resolve(name + "-server.crt");
        Path extensions = folder.resolve(name + "-san.ext");
        try {
            Files.writeString(extensions, "subjectAltName = IP:127.0.0.1, DNS:localhost\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out", ca.toString(),
                "-days", "2", "-subj", "/CN=" + name + " test CA");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", request.toString(),
                "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", request.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
                "-out", certificate.toString(), "-days", "2", "-extfile", extensions.toString());
        return new TestCertificates(ca, certificate, key);
    }

    private static void openssl(String... arguments) {
        ChildProcess.run(ChildCommand.of("openssl", arguments).build(), "test-certificates", Duration.ofSeconds(60));
    }
}
