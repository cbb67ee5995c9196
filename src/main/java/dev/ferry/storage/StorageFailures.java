package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Set;

/** Turns AWS SDK failures into {@link FerryException}s that say why and what to do. */
public final class StorageFailures {

    private static final Set<String> CREDENTIAL_ERRORS =
            Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken");

    private StorageFailures() {
    }

    public static FerryException of(String step, String what, SdkException failure) {
        return of(step, what, failure, null);
    }

    /**
     * @param settings names the access key in a refusal (never the secret); may be null
     */
    public static FerryException of(String step, String what, SdkException failure, ObjectStoreSettings settings) {
        String keys = settings == null ? "the access key and secret key"
                : settings.accessKey() == null ? "the default AWS credentials (environment, profile or instance role)"
                : "access key " + settings.accessKey() + " and its secret key";
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return new FerryException(ErrorCode.CONNECTION, step, what,
                    "the storage server did not answer in time (" + failure.getMessage() + ")",
                    "Check that the storage endpoint is up and answers (not only accepts connections); "
                            + "raise the step's timeout for a slow link", failure);
        }
        Throwable tls = tlsCause(failure);
        if (tls != null) {
            return new FerryException(ErrorCode.CONNECTION, step, what,
                    "the TLS connection to the storage server failed, most likely because its certificate is not trusted ("
                            + tls.getMessage() + ")",
                    "Give the CA certificate that signed the storage server's certificate as the CA bundle, "
                            + "or check the endpoint's host name; turn TLS verification off only for a throwaway test", failure);
        }
        if (failure instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String detail = "HTTP " + s3.statusCode() + (code == null ? "" : " " + code)
                    + (s3.awsErrorDetails() == null ? "" : ": " + s3.awsErrorDetails().errorMessage());
            if (code != null && CREDENTIAL_ERRORS.contains(code) || s3.statusCode() == 403) {
                return new FerryException(ErrorCode.CREDENTIALS, step, what.replace(" cannot be reached", " refused access"),
                        "the storage server refused " + keys + " (" + detail + ")",
                        "Check " + keys + " (storage.accessKey, storage.secretKey*) and that they may read and write the bucket",
                        failure);
            }
            if ("NoSuchBucket".equals(code)) {
                return new FerryException(ErrorCode.STORAGE, step, what, "the bucket does not exist (" + detail + ")",
                        "Create the bucket or fix its name", failure);
            }
            return new FerryException(ErrorCode.STORAGE, step, what, "the storage server answered " + detail,
                    "Fix the cause above and run again", failure);
        }
        return new FerryException(ErrorCode.CONNECTION, step, what,
                "the storage server could not be reached or stopped answering (" + failure.getMessage() + ")",
                "Check that the storage endpoint is up and reachable, then run again", failure);
    }

    private static Throwable tlsCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof CertificateException
                    || cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return cause;
            }
        }
        return null;
    }
}
