package dev.ferry.smoke;

import dev.ferry.engine.Inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Lists every difference between a source's and a target's {@link Inventory}, one sentence each. */
public final class InventoryComparison {

    private InventoryComparison() {
    }

    public static List<String> differences(Inventory source, Inventory target) {
        List<String> differences = new ArrayList<>();
        compareTables(source, target, differences);
        compareMap("sequence", source.sequences(), target.sequences(), differences);
        Set<String> kinds = new TreeSet<>(source.objects().keySet());
        kinds.addAll(target.objects().keySet());
        for (String kind : kinds) {
            Set<String> inSource = source.objects().getOrDefault(kind, Set.of());
            Set<String> inTarget = target.objects().getOrDefault(kind, Set.of());
            new TreeSet<>(inSource).stream().filter(name -> !inTarget.contains(name))
                    .forEach(name -> differences.add(singular(kind) + " " + name + " is missing in the target"));
            new TreeSet<>(inTarget).stream().filter(name -> !inSource.contains(name))
                    .forEach(name -> differences.add(singular(kind) + " " + name + " is in the target but not in the source"));
        }
        return differences;
    }

    private static void compareTables(Inventory source, Inventory target, List<String> differences) {
        for (Map.Entry<String, Inventory.TableFigures> entry : source.tables().entrySet()) {
            String table = entry.getKey();
            Inventory.TableFigures expected = entry.getValue();
            Inventory.TableFigures actual = target.tables().get(table);
            if (actual == null) {
                differences.add("table " + table + " is missing in the target");
            } else if (expected.rows() != actual.rows()) {
                differences.add("table " + table + ": " + expected.rows() + " rows in the source, " + actual.rows() + " in the target");
            } else if (expected.checksum() != null && actual.checksum() != null && !expected.checksum().equals(actual.checksum())) {
                differences.add("table " + table + ": same row count (" + expected.rows() + ") but different content checksums");
            }
        }
        target.tables().keySet().stream().filter(t -> !source.tables().containsKey(t))
                .forEach(t -> differences.add("table " + t + " is in the target but not in the source"));
    }

    private static void compareMap(String kind, Map<String, String> source, Map<String, String> target, List<String> differences) {
        for (Map.Entry<String, String> entry : source.entrySet()) {
            String actual = target.get(entry.getKey());
            if (actual == null) {
                differences.add(kind + " " + entry.getKey() + " is missing in the target");
            } else if (!Objects.equals(entry.getValue(), actual)) {
                differences.add(kind + " " + entry.getKey() + ": " + entry.getValue() + " in the source, " + actual + " in the target");
            }
        }
        target.keySet().stream().filter(k -> !source.containsKey(k))
                .forEach(k -> differences.add(kind + " " + k + " is in the target but not in the source"));
    }

    private static String singular(String kind) {
        return kind.endsWith("s") ? kind.substring(0, kind.length() - 1) : kind;
    }
}
