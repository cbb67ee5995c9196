package dev.ferry.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.engine.Inventory;
import dev.ferry.runtime.Json;
import dev.ferry.storage.Manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The source's tables and sequences as the upload recorded them in {@code manifest.figures.inventory}
 * (per table the row count and, when computed, the content checksum; each sequence's value), so a
 * restore that cannot reach the source (Ferry's Everest importer) can still compare what it restored.
 */
public final class ManifestInventory {

    public static final String FIGURE = "inventory";

    private ManifestInventory() {
    }

    /** The figure to put into a manifest. */
    public static Map<String, Object> figure(Inventory inventory) {
        Map<String, Object> tables = new TreeMap<>();
        inventory.tables().forEach((name, figures) -> {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("rows", figures.rows());
            if (figures.checksum() != null) {
                table.put("checksum", figures.checksum());
            }
            tables.put(name, table);
        });
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("tables", tables);
        figure.put("sequences", new TreeMap<>(inventory.sequences()));
        return figure;
    }

    /** The recorded inventory (tables and sequences only), if the manifest carries one. */
    public static Optional<Inventory> read(Manifest manifest) {
        Object figure = manifest.figures().get(FIGURE);
        if (figure == null) {
            return Optional.empty();
        }
        JsonNode node = Json.MAPPER.valueToTree(figure);
        TreeMap<String, Inventory.TableFigures> tables = new TreeMap<>();
        node.path("tables").fields().forEachRemaining(entry -> tables.put(entry.getKey(), new Inventory.TableFigures(
                entry.getValue().path("rows").asLong(),
                entry.getValue().hasNonNull("checksum") ? entry.getValue().get("checksum").asText() : null)));
        TreeMap<String, String> sequences = new TreeMap<>();
        node.path("sequences").fields().forEachRemaining(entry -> sequences.put(entry.getKey(), entry.getValue().asText()));
        return Optional.of(new Inventory(tables, sequences, Map.of()));
    }

    /** Whether any recorded table carries a content checksum. */
    public static boolean hasChecksums(Inventory inventory) {
        return inventory.tables().values().stream().anyMatch(t -> t.checksum() != null);
    }

    /** The differences in tables and sequences between the recorded inventory and the restored one. */
    public static List<String> differences(Inventory recorded, Inventory restored) {
        return InventoryComparison.differences(recorded, new Inventory(restored.tables(), restored.sequences(), Map.of()));
    }
}
