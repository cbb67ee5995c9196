package dev.ferry.smoke;

import dev.ferry.engine.Inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Every difference between what a database should hold ({@code expected}: the snapshot figures, or
 * a frozen source) and what it holds, one sentence each naming the object and what differs.
 */
public final class InventoryComparison {

    private InventoryComparison() {
    }

    public static List<String> differences(Inventory expected, Inventory actual) {
        List<String> differences = new ArrayList<>();
        compareTables(expected, actual, differences);
        compareCounters(expected, actual, differences);
        Set<String> kinds = new TreeSet<>(expected.objects().keySet());
        kinds.addAll(actual.objects().keySet());
        for (String kind : kinds) {
            compareObjects(kind, expected.objects().getOrDefault(kind, java.util.Collections.emptySortedMap()),
                    actual.objects().getOrDefault(kind, java.util.Collections.emptySortedMap()), differences);
        }
        return differences;
    }

    private static void compareTables(Inventory expected, Inventory actual, List<String> differences) {
        for (Map.Entry<String, Inventory.TableFigures> entry : expected.tables().entrySet()) {
            String table = entry.getKey();
            Inventory.TableFigures want = entry.getValue();
            Inventory.TableFigures got = actual.tables().get(table);
            if (got == null) {
                differences.add("table " + table + " is missing in the target");
            } else if (want.rows() != got.rows()) {
                differences.add("table " + table + ": " + want.rows() + " rows in the snapshot, " + got.rows() + " in the target");
            } else if (want.checksum() != null && got.checksum() != null && !want.checksum().equals(got.checksum())) {
                differences.add("table " + table + ": same row count (" + want.rows() + ") but different content checksums");
            }
        }
        actual.tables().keySet().stream().filter(t -> !expected.tables().containsKey(t))
                .forEach(t -> differences.add("table " + t + " is in the target but not in the snapshot"));
    }

    private static void compareCounters(Inventory expected, Inventory actual, List<String> differences) {
        for (Map.Entry<String, Inventory.Counter> entry : expected.counters().entrySet()) {
            Inventory.Counter got = actual.counters().get(entry.getKey());
            if (got == null) {
                differences.add("counter " + entry.getKey() + " is missing in the target");
            } else if (!entry.getValue().reachedBy(got)) {
                differences.add("counter " + entry.getKey() + ": next value " + got.next() + " in the target is "
                        + (entry.getValue().descending() ? "above" : "below") + " the snapshot's " + entry.getValue().next()
                        + " (it would hand out values already used)");
            }
        }
        actual.counters().keySet().stream().filter(c -> !expected.counters().containsKey(c))
                .forEach(c -> differences.add("counter " + c + " is in the target but not in the snapshot"));
    }

    private static void compareObjects(String kind, SortedMap<String, String> expected, SortedMap<String, String> actual,
                                       List<String> differences) {
        String noun = singular(kind);
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            String got = actual.get(entry.getKey());
            if (got == null) {
                differences.add(noun + " " + entry.getKey() + " is missing in the target");
            } else if (!Objects.equals(entry.getValue(), got)) {
                differences.add(noun + " " + entry.getKey() + " differs: " + quote(entry.getValue()) + " in the snapshot, "
                        + quote(got) + " in the target");
            }
        }
        actual.keySet().stream().filter(name -> !expected.containsKey(name))
                .forEach(name -> differences.add(noun + " " + name + " is in the target but not in the snapshot"));
    }

    private static String quote(String definition) {
        return "'" + definition + "'";
    }

    static String singular(String kind) {
        String noun = kind.replace('-', ' ');
        if (noun.endsWith("ies")) {
            return noun.substring(0, noun.length() - 3) + "y";
        }
        if (noun.endsWith("xes") || noun.endsWith("ses")) {
            return noun.substring(0, noun.length() - 2);
        }
        return noun.endsWith("s") ? noun.substring(0, noun.length() - 1) : noun;
    }
}
