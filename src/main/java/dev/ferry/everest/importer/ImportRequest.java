package dev.ferry.everest.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Json;
import dev.ferry.storage.ObjectStoreSettings;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The request Everest hands a DataImporter ({@code /payload/request.json}), read exactly as the
 * contract defines it: every field is {@code omitempty}, so a missing {@code verifyTLS} or
 * {@code forcePathStyle} is false and a missing {@code config} is empty; {@code port} is a string;
 * the user field is {@code user}; the S3 keys are {@code accessKeyID} and {@code secretKey}.
 * The password and the secret key are held as {@link Secret}s from the moment they are read.
 */
public record ImportRequest(String path, S3 s3, Target target, JsonNode config) {

    public record S3(String bucket, String region, String endpointURL, boolean verifyTLS, boolean forcePathStyle,
                     String accessKeyID, Secret secretKey) {
    }

    public record Target(String clusterName, String namespace, String type, String host, int port, String user, Secret password) {
    }

    public static final String STEP = "importer";

    public static ImportRequest read(Path file) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, STEP, "Cannot read the import request " + file, e.getMessage(),
                    "Everest mounts it at /payload/request.json; pass that path as the only argument");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "it is not a JSON object");
        }
        JsonNode source = root.path("source");
        JsonNode s3 = source.path("s3");
        JsonNode target = root.path("target");
        String access = text(s3, "accessKeyID");
        String secret = text(s3, "secretKey");
        if ((access == null) != (secret == null)) {
            throw bad(file, "source.s3 has only one of accessKeyID and secretKey");
        }
        String password = text(target, "password");
        String port = text(target, "port");
        int portNumber;
        try {
            portNumber = port == null ? 0 : Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw bad(file, "target.port is not a number: '" + port + "'");
        }
        ImportRequest request = new ImportRequest(required(source, "path", file),
                new S3(required(s3, "bucket", file), text(s3, "region"), text(s3, "endpointURL"),
                        s3.path("verifyTLS").asBoolean(false), s3.path("forcePathStyle").asBoolean(false), access,
                        secret == null ? null : Secret.of(secret, "request.json#source.s3.secretKey")),
                new Target(text(target.path("databaseClusterRef"), "name"), text(target.path("databaseClusterRef"), "namespace"),
                        required(target, "type", file), required(target, "host", file), portNumber, required(target, "user", file),
                        password == null ? null : Secret.of(password, "request.json#target.password")),
                root.path("config").isObject() ? root.get("config") : Json.MAPPER.createObjectNode());
        if (portNumber <= 0) {
            throw bad(file, "target.port is missing");
        }
        return request;
    }

    /** The bucket as Ferry's storage code reaches it: no prefix (the path is the whole folder). */
    public ObjectStoreSettings store() {
        URI endpoint = s3.endpointURL() == null ? null : URI.create(s3.endpointURL());
        return new ObjectStoreSettings(endpoint, s3.region(), s3.bucket(), "", s3.accessKeyID(), s3.secretKey(),
                s3.forcePathStyle(), null, s3.verifyTLS());
    }

    public String configText(String key, String fallback) {
        JsonNode value = config.get(key);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    public Map<String, Object> configMap() {
        return Json.MAPPER.convertValue(config, Map.class);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    private static String required(JsonNode node, String field, Path file) {
        String value = text(node, field);
        if (value == null) {
            throw bad(file, "field '" + field + "' is missing");
        }
        return value;
    }

    private static FerryException bad(Path file, String why) {
        return new FerryException(ErrorCode.BAD_INPUT, STEP, "The import request " + file + " is not usable", why,
                "Check the DataImportJob's source and the DatabaseCluster's status (host, port) and user Secret");
    }
}
