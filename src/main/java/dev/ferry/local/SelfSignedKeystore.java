package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A PKCS12 keystore with a fresh self-signed certificate for {@code localhost} / {@code 127.0.0.1},
 * made with the JDK's keytool, and that certificate as PEM so clients can trust exactly it.
 * The store password is generated, throwaway, and reaches keytool through its environment.
 */
public record SelfSignedKeystore(Path keystore, String password, Path certificatePem) {

    private static final String ALIAS = "localhost";
    private static final String PASSWORD_VARIABLE = "FERRY_KEYSTORE_PASSWORD";

    public static SelfSignedKeystore generate(Path folder, String step) {
        Path keystore = folder.resolve("keystore.p12");
        Path pem = folder.resolve("ca.pem");
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ChildCommand command = ChildCommand.of(keytool.toString(),
                        "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                        "-storepass:env", PASSWORD_VARIABLE)
                .env(PASSWORD_VARIABLE, password)
                .build();
        ChildProcess.run(command, step, Duration.ofSeconds(60));
        writePem(keystore, password, pem, step);
        return new SelfSignedKeystore(keystore, password, pem);
    }

    private static void writePem(Path keystore, String password, Path pem, String step) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            Certificate certificate = store.getCertificate(ALIAS);
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new FerryException(ErrorCode.INTERNAL, step, "Could not export the local server's certificate",
                    e.getMessage(), "Check that the JDK's keytool works on this machine");
        }
    }

    @Override
    public String toString() {
        return "SelfSignedKeystore[" + keystore + ", certificate " + certificatePem + "]";
    }
}
