package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;

/**
 * Builds the {@link S3Client} Ferry uses for its own streaming uploads and for artifact
 * bookkeeping. Checksums are sent and checked only when an operation requires them: the CRC32
 * checksums SDK 2.30+ adds by default are refused by some S3-compatible servers.
 */
public final class S3ClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(S3ClientFactory.class);

    /** How long a connection may take to open, and a read may wait for a byte. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** One attempt of one call (a 16 MiB part on a slow link included), and one call with its retries. */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration CALL_TIMEOUT = Duration.ofMinutes(15);

    private S3ClientFactory() {
    }

    public static S3Client create(ObjectStoreSettings settings) {
        return create(settings, "storage");
    }

    public static S3Client create(ObjectStoreSettings settings, String step) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(httpClient(settings, step))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(override -> override.apiCallAttemptTimeout(ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(ObjectStoreSettings settings) {
        if (settings.accessKey() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey().reveal()));
    }

    private static SdkHttpClient httpClient(ObjectStoreSettings settings, String step) {
        ApacheHttpClient.Builder builder = ApacheHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionAcquisitionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT);
        if (!settings.verifyTls()) {
            LOG.warn("TLS VERIFICATION IS OFF for {}: anyone on the network path can read and change the data. "
                    + "Use this only for a throwaway test; give a CA bundle instead.", settings.describe());
            return builder.buildWithDefaults(AttributeMap.builder()
                    .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE)
                    .build());
        }
        if (settings.caBundle() != null) {
            TrustManager[] trustManagers = trustManagers(settings.caBundle(), step);
            builder.tlsTrustManagersProvider(() -> trustManagers);
        }
        return builder.build();
    }

    /** Trust managers that trust exactly the certificates in a PEM bundle. */
    static TrustManager[] trustManagers(Path caBundle, String step) {
        try (InputStream in = Files.newInputStream(caBundle)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new FerryException(ErrorCode.BAD_INPUT, step, "CA bundle " + caBundle + " holds no certificate",
                        "a CA bundle is one or more PEM blocks '-----BEGIN CERTIFICATE-----'",
                        "Point the CA bundle at the PEM file of the CA that signed the storage server's certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Could not read CA bundle " + caBundle,
                    e.getMessage(), "Point the CA bundle at a readable PEM file of the CA that signed the storage server's certificate");
        }
    }
}
