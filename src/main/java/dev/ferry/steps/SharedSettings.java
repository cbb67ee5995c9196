package dev.ferry.steps;

import dev.ferry.credentials.CredentialSources;
import dev.ferry.engine.JdbcTimeouts;
import dev.ferry.engine.JdbcUse;
import dev.ferry.runtime.PreparedMigration;
import dev.ferry.smoke.CustomCheck;
import dev.ferry.spec.Setting;
import dev.ferry.storage.ObjectStoreSettings;

import java.util.ArrayList;
import java.util.List;

/** The settings that more than one step reads: each side's connection, the object store, the run's own. */
public final class SharedSettings {

    public static final Setting ENGINE = Setting.text("<side>.engine", "postgresql", "the side's engine: postgresql, mysql or mariadb");
    public static final Setting HOST = Setting.text("<side>.host", null, "the server's host");
    public static final Setting PORT = Setting.integer("<side>.port", "the server's port; default the engine's (5432, 3306)");
    public static final Setting DATABASE = Setting.text("<side>.database", null, "the database");
    public static final Setting CREDENTIALS = Setting.text("<side>.credentials", CredentialSources.DEFAULT,
            "where the side's credentials come from: " + String.join(", ", CredentialSources.names()));

    public static final Setting STORAGE_ENDPOINT = Setting.text("storage.endpoint", null, "the S3 endpoint; default AWS");
    public static final Setting STORAGE_REGION = Setting.text("storage.region", ObjectStoreSettings.DEFAULT_REGION, "the S3 region");
    public static final Setting STORAGE_BUCKET = Setting.text("storage.bucket", null, "the bucket artifacts go to");
    public static final Setting STORAGE_PREFIX = Setting.text("storage.prefix", "", "artifacts land in s3://<bucket>/<prefix>/<database>/<UTC timestamp>/");
    public static final Setting STORAGE_ACCESS_KEY = Setting.text("storage.accessKey", null, "the S3 access key; default the AWS credential chain");
    public static final Setting STORAGE_SECRET_KEY = Setting.secret("storage.secretKey", "the S3 secret key (or storage.secretKeyFile, storage.secretKeyEnv)");
    public static final Setting STORAGE_PATH_STYLE = Setting.flag("storage.pathStyle", "path-style addressing; default true when storage.endpoint is set");
    public static final Setting STORAGE_CA_BUNDLE = Setting.text("storage.caBundle", null, "a PEM file of the CAs the S3 endpoint's certificate is checked with");
    public static final Setting STORAGE_VERIFY_TLS = Setting.flag("storage.verifyTls", true, "check the S3 endpoint's certificate");

    public static final Setting ARTIFACT = Setting.text(PreparedMigration.ARTIFACT_SETTING, null,
            "an existing artifact (s3://bucket/prefix/db/timestamp/ or latest) for runs started after the upload");
    public static final Setting SCHEDULE_CRON = Setting.text("schedule.cron", null, "when ferry schedule starts the migration (cron, 5 fields)");
    public static final Setting SCHEDULE_TIME_ZONE = Setting.text("schedule.timeZone", "UTC", "the time zone of schedule.cron");

    public static final List<Setting> ALL = all();

    private SharedSettings() {
    }

    private static List<Setting> all() {
        List<Setting> all = new ArrayList<>(List.of(ENGINE, HOST, PORT, DATABASE, CREDENTIALS,
                STORAGE_ENDPOINT, STORAGE_REGION, STORAGE_BUCKET, STORAGE_PREFIX, STORAGE_ACCESS_KEY, STORAGE_SECRET_KEY,
                STORAGE_PATH_STYLE, STORAGE_CA_BUNDLE, STORAGE_VERIFY_TLS, ARTIFACT, SCHEDULE_CRON, SCHEDULE_TIME_ZONE));
        for (JdbcUse use : JdbcUse.values()) {
            all.add(Setting.integer("<side>." + JdbcTimeouts.setting(use), (int) JdbcTimeouts.DEFAULT.of(use).toSeconds(),
                    "how long one " + use.name().toLowerCase().replace('_', ' ') + " may wait for the server, in seconds"));
        }
        all.addAll(CustomCheck.SETTINGS);
        all.addAll(CredentialSources.settings());
        return List.copyOf(all);
    }
}
