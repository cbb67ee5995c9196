package dev.ferry.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An object's definition as kept in figures: short ones as they are, long ones (bodies, views) by their MD5. */
public final class DefinitionText {

    private static final int KEEP_UP_TO = 200;

    private DefinitionText() {
    }

    public static String of(String definition) {
        if (definition == null) {
            return "";
        }
        if (definition.length() <= KEEP_UP_TO) {
            return definition;
        }
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(definition.getBytes(StandardCharsets.UTF_8));
            return "md5 " + HexFormat.of().formatHex(digest) + " of " + definition.length() + " characters";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
