package dev.ferry.credentials;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrubs known secret values out of text before it reaches a log, a report, the journal or an
 * exception message. Values shorter than four characters are not registered: masking them would
 * mangle ordinary text, and such passwords are refused by nobody but offer nothing to hide.
 */
public final class Redactor {

    public static final String MASK = "****";
    private static final int MIN_LENGTH = 4;
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Redactor() {
    }

    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            SECRETS.add(secret);
        }
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty() || SECRETS.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : SECRETS) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }
}
