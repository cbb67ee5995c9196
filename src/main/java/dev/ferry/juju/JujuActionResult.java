package dev.ferry.juju;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.runtime.Json;

import java.util.Iterator;
import java.util.Map;

/**
 * The outcome of one charm action as the Juju client prints it: Juju 3.x {@code juju run ...
 * --format=json} keys it by the unit that ran it ({@code {"postgresql/0": {...}}}, even when
 * {@code postgresql/leader} was asked); Juju 2.9 {@code juju run-action ... --wait --format=yaml}
 * keys it by the unit's tag ({@code unit-postgresql-0:}) with {@code UnitId}, {@code id},
 * {@code results}, {@code status}, {@code message} and {@code timing}. Either way: the first entry.
 */
record JujuActionResult(String unit, String id, String status, String message, int returnCode, JsonNode results) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Reads 3.x JSON; null when the text holds no action result. */
    static JujuActionResult parseJson(String text) {
        return parse(Json.MAPPER, text);
    }

    /** Reads 2.9 YAML; null when the text holds no action result. */
    static JujuActionResult parseYaml(String text) {
        return parse(YAML, text);
    }

    private static JujuActionResult parse(ObjectMapper mapper, String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (Exception e) {
            // never pass the parser's message on: it quotes the text, which may hold the password
            return null;
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = root.fields();
        Map.Entry<String, JsonNode> first = entries.next();
        JsonNode action = first.getValue();
        if (!action.isObject() || !action.has("status")) {
            return null;
        }
        String unit = text(action, "UnitId");
        if (unit == null) {
            unit = unitName(first.getKey());
        }
        JsonNode results = action.path("results");
        return new JujuActionResult(unit, text(action, "id"), text(action, "status"), text(action, "message"),
                returnCode(results), results);
    }

    /** {@code unit-postgresql-0} → {@code postgresql/0}; a unit name stays as it is. */
    static String unitName(String key) {
        if (key.contains("/") || !key.startsWith("unit-")) {
            return key;
        }
        String tag = key.substring("unit-".length());
        int last = tag.lastIndexOf('-');
        return last < 0 ? tag : tag.substring(0, last) + "/" + tag.substring(last + 1);
    }

    /** {@code return-code} (3.x) or {@code Code} (2.9), a number or a string; missing means 0. */
    private static int returnCode(JsonNode results) {
        for (String field : new String[] {"return-code", "Code", "code"}) {
            JsonNode value = results.get(field);
            if (value != null && !value.isNull()) {
                try {
                    return Integer.parseInt(value.asText().trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }

    /** Success: the action completed and its script returned 0. */
    boolean succeeded() {
        return "completed".equals(status) && returnCode == 0;
    }

    /** A string result such as {@code password}, or null. */
    String result(String key) {
        JsonNode value = results.get(key);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    /** Never shows the results: they hold the password. */
    @Override
    public String toString() {
        return "action " + id + " on " + unit + ": " + status + " (return code " + returnCode + ")";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
