package dev.ferry.juju;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.credentials.Redactor;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The legacy PostgreSQL charm gives each related client application a user of its own, in the
 * relation's data: {@code juju show-unit <client-unit> --format=json} lists {@code relation-info[]};
 * the entries whose related units (or related application) belong to the database application hold
 * {@code user}, {@code password} and often {@code host}, {@code port}, {@code database} in their
 * {@code application-data} or a related unit's {@code data}. ({@code username} and
 * {@code endpoints: host:port}, as newer charms write them, are read too.)
 */
final class LegacyRelationCredentials {

    private LegacyRelationCredentials() {
    }

    static CollectedCredentials read(JujuCli juju) {
        JujuOptions options = juju.options();
        String unit = options.clientUnit() != null ? options.clientUnit()
                : JujuStatus.of(juju, options.clientApplication()).anyUnit().name();
        JujuCli.Output output = juju.run("show-unit", unit, "--format=json");
        JsonNode relations = relations(output.stdout(), unit);
        if (output.exitCode() != 0 || relations == null) {
            throw juju.failed(output, "juju show-unit could not show " + unit, juju.checkAccessHint());
        }
        List<JsonNode> candidates = candidates(relations, options.application());
        // every password the relations hold is known to the redactor before any message is built
        candidates.forEach(data -> Redactor.register(text(data, "password")));
        for (JsonNode data : candidates) {
            String password = text(data, "password");
            String user = text(data, "user") != null ? text(data, "user") : text(data, "username");
            if (password != null && user != null) {
                return credentials(data, user, Secret.of(password, "juju:relation data of " + unit + " with "
                        + options.application() + " (" + options.modelDescription() + ")"), juju);
            }
        }
        throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "No user and password for " + options.application()
                + " in the relation data of " + unit, candidates.isEmpty()
                ? "none of its relations is with " + options.application()
                : "its relations with " + options.application() + " hold no user and password yet",
                "Check " + options.side() + ".juju.application and .clientApplication, and that the relation is "
                + "established (juju status --relations)");
    }

    /** The unit's {@code relation-info} array; null when the text is not show-unit JSON. */
    static JsonNode relations(String json, String unit) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return null; // the parser's message would quote the relation data, passwords included
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            return null;
        }
        JsonNode shown = root.has(unit) ? root.get(unit) : root.elements().next();
        JsonNode relations = shown.path("relation-info");
        return relations.isArray() ? relations : Json.MAPPER.createArrayNode();
    }

    /** The data maps of relations with {@code application}: application data first, then each related unit's. */
    static List<JsonNode> candidates(JsonNode relations, String application) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode relation : relations) {
            if (!relatesTo(relation, application)) {
                continue;
            }
            if (relation.path("application-data").isObject()) {
                found.add(relation.get("application-data"));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = relation.path("related-units").fields(); it.hasNext(); ) {
                JsonNode data = it.next().getValue().path("data");
                if (data.isObject()) {
                    found.add(data);
                }
            }
        }
        return found;
    }

    private static boolean relatesTo(JsonNode relation, String application) {
        for (String field : new String[] {"related-application", "application"}) {
            if (application.equals(text(relation, field))) {
                return true;
            }
        }
        for (Iterator<String> units = relation.path("related-units").fieldNames(); units.hasNext(); ) {
            if (units.next().startsWith(application + "/")) {
                return true;
            }
        }
        return false;
    }

    private static CollectedCredentials credentials(JsonNode data, String user, Secret password, JujuCli juju) {
        String host = text(data, "host");
        Integer port = null;
        String portText = text(data, "port");
        String endpoints = text(data, "endpoints");
        if (host == null && endpoints != null) {
            String first = endpoints.split(",")[0].strip();
            int colon = first.lastIndexOf(':');
            host = colon < 0 ? first : first.substring(0, colon);
            portText = portText == null && colon >= 0 ? first.substring(colon + 1) : portText;
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText.strip());
            } catch (NumberFormatException e) {
                throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "The relation data's port is not a number",
                        "it is '" + portText + "'", "Set " + juju.options().side() + ".port");
            }
        }
        return new CollectedCredentials(user, password, host, port, text(data, "database"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? null : value.asText();
    }
}
