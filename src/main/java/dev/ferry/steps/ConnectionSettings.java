package dev.ferry.steps;

import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.credentials.CredentialResolver;
import dev.ferry.credentials.CredentialSources;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.engine.JdbcTimeouts;
import dev.ferry.engine.JdbcUse;
import dev.ferry.runtime.Settings;
import dev.ferry.storage.ObjectStoreSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds connection objects from the {@code source.*}, {@code target.*} and {@code storage.*} settings.
 * A side's {@code ssl*} settings go to its engine as they are; the engine refuses names it does not know.
 */
public final class ConnectionSettings {

    private ConnectionSettings() {
    }

    /** The side's endpoint, with credentials from the source its {@code <side>.credentials} setting names. */
    public static DatabaseEndpoint database(String side, Settings raw, Settings settings, String step) {
        String from = settings.get(side + ".credentials", CredentialSources.DEFAULT);
        return database(side, CredentialSources.named(from, side, step).collect(side, raw, settings, step), settings, step);
    }

    public static DatabaseEndpoint database(String side, CollectedCredentials collected, Settings settings, String step) {
        String prefix = side + ".";
        Engine engine = Engines.forName(settings.get(prefix + "engine", "postgresql"), step);
        String host = settings.find(prefix + "host").orElse(collected.host());
        if (host == null) {
            host = settings.require(prefix + "host", step);
        }
        int port = settings.find(prefix + "port").isPresent() || collected.port() == null
                ? settings.getInt(prefix + "port", engine.defaultPort(), step) : collected.port();
        String database = settings.find(prefix + "database").orElse(collected.database());
        if (database == null) {
            database = settings.require(prefix + "database", step);
        }
        String user = collected.user();
        Secret password = collected.password();
        Map<String, String> tls = new LinkedHashMap<>();
        settings.withPrefix(prefix).forEach((key, value) -> {
            if (key.startsWith("ssl") && value != null && !value.isBlank()) {
                tls.put(key, value);
            }
        });
        return new DatabaseEndpoint(engine.name(), host, port, database, user, password, tls, jdbcTimeouts(prefix, settings, step));
    }

    /** {@code <side>.jdbc.*TimeoutSeconds}: each a positive number of seconds (else exit 2 before anything connects). */
    static JdbcTimeouts jdbcTimeouts(String prefix, Settings settings, String step) {
        JdbcTimeouts defaults = JdbcTimeouts.DEFAULT;
        Duration[] values = new Duration[3];
        JdbcUse[] uses = JdbcUse.values();
        for (int i = 0; i < uses.length; i++) {
            String name = prefix + JdbcTimeouts.setting(uses[i]);
            int seconds = settings.getInt(name, (int) defaults.of(uses[i]).toSeconds(), step);
            if (seconds < 1) {
                throw new dev.ferry.FerryException(dev.ferry.ErrorCode.BAD_INPUT, step, name + " must be 1 or more",
                        "it is " + seconds, "Set it to the number of seconds a read may wait for the server, or leave it out");
            }
            values[i] = Duration.ofSeconds(seconds);
        }
        return new JdbcTimeouts(values[0], values[1], values[2]);
    }

    static ObjectStoreSettings store(Settings settings, CredentialResolver credentials, String step) {
        String endpoint = settings.find(SharedSettings.STORAGE_ENDPOINT.key()).orElse(null);
        String accessKey = settings.find(SharedSettings.STORAGE_ACCESS_KEY.key()).orElse(null);
        Secret secretKey = credentials.find(SharedSettings.STORAGE_SECRET_KEY.key(), step);
        if ((accessKey == null) != (secretKey == null)) {
            throw new dev.ferry.FerryException(dev.ferry.ErrorCode.CREDENTIALS, step,
                    "Only one of storage.accessKey and storage.secretKey is set", null,
                    "Set both, or neither to use the AWS default credential chain");
        }
        return new ObjectStoreSettings(endpoint == null ? null : URI.create(endpoint),
                SharedSettings.STORAGE_REGION.text(settings),
                settings.require(SharedSettings.STORAGE_BUCKET.key(), step),
                SharedSettings.STORAGE_PREFIX.text(settings),
                accessKey, secretKey,
                settings.getBoolean(SharedSettings.STORAGE_PATH_STYLE.key(), endpoint != null, step),
                settings.find(SharedSettings.STORAGE_CA_BUNDLE.key()).map(Path::of).orElse(null),
                SharedSettings.STORAGE_VERIFY_TLS.flag(settings, step));
    }
}
