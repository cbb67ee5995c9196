package dev.ferry.juju;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Charmed PostgreSQL 16: the charm has no password actions; its {@code system-users} config option
 * names a Juju secret ({@code secret:...}) whose content holds {@code <user>-password} keys.
 * {@code juju config <app> system-users}, then {@code juju show-secret --reveal <uri> --format=json}
 * ({@code {"<id>": {"revision": 1, "owner": ..., "content": {"Data": {...}}}}}; the keys are read
 * under {@code content.Data} or directly under {@code content}).
 */
final class CharmedPostgres16Password {

    static final String CONFIG_OPTION = "system-users";

    private CharmedPostgres16Password() {
    }

    static Secret read(JujuCli juju) {
        JujuOptions options = juju.options();
        JujuCli.Output config = juju.run("config", options.application(), CONFIG_OPTION);
        if (config.exitCode() != 0) {
            throw juju.failed(config, "juju config could not read " + CONFIG_OPTION + " of " + options.application(),
                    juju.checkAccessHint());
        }
        String uri = config.stdout().strip();
        if (uri.isEmpty() || uri.contains("\n")) {
            throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "The " + CONFIG_OPTION + " option of "
                    + options.application() + " names no secret", uri.isEmpty() ? "it is empty" : "it holds more than one line",
                    "Check that " + options.application() + " runs Charmed PostgreSQL 16; for the 14 charm set "
                    + options.side() + ".juju.charm: postgresql-14");
        }
        JujuCli.Output shown = juju.run("show-secret", "--reveal", uri, "--format=json");
        JsonNode content = content(shown.stdout());
        if (content == null) {
            throw juju.failed(shown, "juju show-secret could not reveal " + uri,
                    "Check that this Juju user may read the secret (juju grant-secret, or use the model's admin)");
        }
        List<String> keys = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            // every value of this secret is a password: the redactor learns them all before any message is built
            Redactor.register(entry.getValue().asText());
            keys.add(entry.getKey());
        }
        String key = options.username() + "-password";
        JsonNode value = content.get(key);
        if (value == null || value.asText().isEmpty()) {
            throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "Secret " + uri + " holds no " + key,
                    "its keys are " + keys, "Set " + options.side() + ".juju.username to one of the users these keys name");
        }
        return Secret.of(value.asText(), "juju:secret " + uri + " key " + key + " (" + CONFIG_OPTION + " of "
                + options.application() + ", " + options.modelDescription() + ")");
    }

    /** The secret's content map from show-secret's JSON; null when there is none. */
    static JsonNode content(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return null; // the parser's message would quote the text, secrets and all
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            return null;
        }
        JsonNode content = root.elements().next().path("content");
        JsonNode data = content.path("Data");
        JsonNode found = data.isObject() ? data : content;
        return found.isObject() ? found : null;
    }
}
