package dev.ferry.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.engine.Inventory;
import dev.ferry.runtime.Json;
import dev.ferry.storage.Manifest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The source's figures as the manifest keeps them ({@code figures.snapshot}): read in the very
 * snapshot the dump holds, so every import and every {@code ferry verify} compares with them.
 */
public final class SnapshotFigures {

    public static final String FIGURE = "snapshot";

    private SnapshotFigures() {
    }

    public static Map<String, Object> figure(Inventory inventory) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("rowHash", inventory.rowHash());
        Map<String, Object> tables = new TreeMap<>();
        inventory.tables().forEach((name, content) -> {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("rows", content.rows());
            if (content.checksum() != null) {
                table.put("checksum", content.checksum());
            }
            tables.put(name, table);
        });
        figure.put("tables", tables);
        Map<String, Object> counters = new TreeMap<>();
        inventory.counters().forEach((name, counter) -> counters.put(name,
                counter.descending() ? Map.of("next", counter.next(), "descending", true) : Map.of("next", counter.next())));
        figure.put("counters", counters);
        figure.put("objects", inventory.objects());
        figure.put("checks", inventory.checks());
        figure.put("notCompared", inventory.notCompared());
        return figure;
    }

    /** The figures the manifest carries, if it carries any (artifacts of Ferry before snapshot figures do not). */
    public static Optional<Inventory> read(Manifest manifest) {
        Object figure = manifest.figures().get(FIGURE);
        if (figure == null) {
            return Optional.empty();
        }
        JsonNode node = Json.MAPPER.valueToTree(figure);
        SortedMap<String, Inventory.TableFigures> tables = new TreeMap<>();
        node.path("tables").fields().forEachRemaining(entry -> tables.put(entry.getKey(), new Inventory.TableFigures(
                entry.getValue().path("rows").asLong(),
                entry.getValue().hasNonNull("checksum") ? entry.getValue().get("checksum").asText() : null)));
        SortedMap<String, Inventory.Counter> counters = new TreeMap<>();
        node.path("counters").fields().forEachRemaining(entry -> counters.put(entry.getKey(),
                new Inventory.Counter(entry.getValue().path("next").asLong(), entry.getValue().path("descending").asBoolean(false))));
        SortedMap<String, SortedMap<String, String>> objects = new TreeMap<>();
        node.path("objects").fields().forEachRemaining(kind -> objects.put(kind.getKey(), texts(kind.getValue())));
        List<String> notCompared = new ArrayList<>();
        node.path("notCompared").forEach(item -> notCompared.add(item.asText()));
        String rowHash = node.hasNonNull("rowHash") ? node.get("rowHash").asText() : null;
        return Optional.of(new Inventory(rowHash, Collections.unmodifiableSortedMap(tables), Collections.unmodifiableSortedMap(counters),
                Collections.unmodifiableSortedMap(objects), texts(node.path("checks")), List.copyOf(notCompared)));
    }

    private static SortedMap<String, String> texts(JsonNode node) {
        SortedMap<String, String> texts = new TreeMap<>();
        node.fields().forEachRemaining(entry -> texts.put(entry.getKey(), entry.getValue().asText()));
        return Collections.unmodifiableSortedMap(texts);
    }
}
