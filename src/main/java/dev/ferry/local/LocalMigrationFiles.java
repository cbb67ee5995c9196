package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Migration files between servers on this machine (the demo, the benchmark, the tests): the
 * settings that point a pipeline at them, with every secret in a 0600 file the settings name.
 */
public final class LocalMigrationFiles {

    private static final String STEP = "local-migration";

    private LocalMigrationFiles() {
    }

    /** Settings moving {@code sourceDatabase} on {@code source} to {@code targetDatabase} on {@code target} through {@code s3}. */
    public static Map<String, String> settings(Path secretsFolder, LocalDatabaseServer source, String sourceDatabase,
                                               LocalDatabaseServer target, String targetDatabase,
                                               LocalS3Server s3, String bucket, String prefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        side(settings, "source", source, sourceDatabase, secretsFolder);
        side(settings, "target", target, targetDatabase, secretsFolder);
        settings.put("storage.endpoint", s3.httpEndpoint().toString());
        settings.put("storage.bucket", bucket);
        settings.put("storage.prefix", prefix);
        settings.put("storage.accessKey", s3.accessKey());
        settings.put("storage.secretKeyFile", secretFile(secretsFolder, "s3-secret-key-" + s3.httpEndpoint().getPort(),
                s3.secretKey().reveal()).toString());
        return settings;
    }

    private static void side(Map<String, String> settings, String side, LocalDatabaseServer server, String database, Path folder) {
        settings.put(side + ".host", server.host());
        settings.put(side + ".port", Integer.toString(server.port()));
        settings.put(side + ".database", database);
        settings.put(side + ".user", server.superuser());
        settings.put(side + ".passwordFile", secretFile(folder, side + "-password-" + server.port(), server.password().reveal()).toString());
    }

    /** Writes a migration file instantiating {@code pipeline}, plus any YAML of the caller's (routes a replaced step points at). */
    public static Path write(Path file, String pipeline, String name, Map<String, String> parameters, String moreYaml) {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: " + pipeline + "\n    routeId: " + name
                + "\n    parameters:\n");
        parameters.forEach((key, value) -> yaml.append("      - name: ").append(key).append("\n        value: \"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        if (moreYaml != null) {
            yaml.append('\n').append(moreYaml);
        }
        try {
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Cannot write " + file, e.getMessage(), "Check the folder");
        }
    }

    /** A file holding only {@code secret}, readable by its owner alone. */
    public static Path secretFile(Path folder, String name, String secret) {
        Path file = folder.resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret);
            return file;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Cannot write " + file, e.getMessage(), "Check the folder");
        }
    }
}
