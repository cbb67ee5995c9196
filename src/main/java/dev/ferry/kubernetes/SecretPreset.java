package dev.ferry.kubernetes;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.util.Locale;

/**
 * Where Everest keeps a database's admin credentials, per engine: Secret {@code everest-secrets-<cluster>}
 * with PostgreSQL user {@code postgres} / key {@code password}, PXC user {@code root} / key {@code root},
 * PSMDB keys {@code MONGODB_DATABASE_ADMIN_USER} / {@code MONGODB_DATABASE_ADMIN_PASSWORD}.
 */
enum SecretPreset {
    EVEREST_POSTGRESQL("postgres", null, "password"),
    EVEREST_PXC("root", null, "root"),
    EVEREST_PSMDB(null, "MONGODB_DATABASE_ADMIN_USER", "MONGODB_DATABASE_ADMIN_PASSWORD");

    final String user;
    final String userKey;
    final String passwordKey;

    SecretPreset(String user, String userKey, String passwordKey) {
        this.user = user;
        this.userKey = userKey;
        this.passwordKey = passwordKey;
    }

    static SecretPreset named(String name, String step) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown secret preset '" + name + "'", null,
                    "Use everest-postgresql, everest-pxc or everest-psmdb, or name the keys with userKey and passwordKey");
        }
    }

    /** Everest's name for the Secret of a database cluster. */
    static String everestSecretName(String cluster) {
        return "everest-secrets-" + cluster;
    }
}
