package dev.ferry.engine;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.security.cert.CertificateException;
import java.util.Locale;

/** Recognises a failed TLS handshake or certificate check among a driver's exceptions, and explains it. */
public final class TlsFailures {

    private TlsFailures() {
    }

    public static boolean isTlsFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (cause instanceof javax.net.ssl.SSLException || cause instanceof CertificateException
                    || message.startsWith("ssl error") || message.contains("pkix path")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param modeSetting how the engine spells the mode setting and its value, for example {@code sslmode verify-full}
     * @param caKey       the engine's name of the CA setting, for example {@code sslrootcert}
     * @param caSetting   how the engine spells the CA setting and its value, or null when none was given
     */
    public static FerryException explain(DatabaseEndpoint endpoint, String modeSetting, String caKey, String caSetting,
                                         boolean checksHost, Throwable failure, String step) {
        return new FerryException(ErrorCode.CONNECTION, step, "TLS verification of " + endpoint + " failed",
                "with " + modeSetting + " the server's certificate must be signed by the certificate authority in "
                        + (caSetting == null ? "the default trust store" : caSetting)
                        + (checksHost ? " and name the host " + endpoint.host() : "") + " (" + failure.getMessage() + ")",
                "Give the CA that signed the server's certificate in " + caKey + "; Ferry does not fall back to an unverified connection",
                failure);
    }
}
