package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS settings a MySQL or MariaDB endpoint may carry: {@code sslMode} ({@code disable},
 * {@code trust}: encrypt without checking the certificate, {@code verify-ca}, {@code verify-full})
 * and {@code sslCa} (a PEM file with the CA that signed the server's certificate). Unknown names
 * and modes are refused rather than silently dropped.
 */
record MySqlTls(String mode, String ca) {

    static final String MODE_KEY = "sslMode";
    static final String CA_KEY = "sslCa";
    static final String MODE_KEY_SETTING = "<side>." + MODE_KEY;
    static final String CA_KEY_SETTING = "<side>." + CA_KEY;
    static final List<String> MODES = List.of("disable", "trust", "verify-ca", "verify-full");
    private static final Set<String> KEYS = Set.of(MODE_KEY, CA_KEY);

    /** The endpoint's settings; {@code mode} is null when none was given (the driver's and tools' default). */
    static MySqlTls of(DatabaseEndpoint endpoint, String step) {
        for (String key : endpoint.tls().keySet()) {
            if (!KEYS.contains(key)) {
                throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown MySQL TLS setting '" + key + "'",
                        "for " + endpoint.describe(), "Use only " + MODE_KEY + " and " + CA_KEY);
            }
        }
        String mode = endpoint.tls().get(MODE_KEY);
        if (mode != null) {
            mode = mode.strip().toLowerCase(Locale.ROOT);
            if (!MODES.contains(mode)) {
                throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown " + MODE_KEY + " '" + mode + "'",
                        "for " + endpoint.describe(), "Use one of " + String.join(", ", MODES));
            }
        }
        String ca = endpoint.tls().get(CA_KEY);
        if (mode == null && ca != null) {
            mode = "verify-ca";
        }
        return new MySqlTls(mode, ca == null || ca.isBlank() ? null : ca);
    }

    boolean verifies() {
        return "verify-ca".equals(mode) || "verify-full".equals(mode);
    }
}
