package dev.ferry.smoke;

import dev.ferry.engine.Inventory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryComparisonTest {

    private static Inventory inventory(Map<String, Inventory.TableFigures> tables, Map<String, Inventory.Counter> counters,
                                       Map<String, String> views, Map<String, String> columns) {
        SortedMap<String, SortedMap<String, String>> objects = new TreeMap<>();
        objects.put("views", new TreeMap<>(views));
        objects.put("columns", new TreeMap<>(columns));
        return new Inventory("h", new TreeMap<>(tables), new TreeMap<>(counters), objects, new TreeMap<>(), List.of());
    }

    @Test
    void equalInventoriesHaveNoDifferences() {
        Inventory one = inventory(Map.of("public.a", new Inventory.TableFigures(3, "x")), Map.of("public.s", new Inventory.Counter(5, false)),
                Map.of("public.v", "SELECT 1"), Map.of("public.a.id", "#1 integer not null"));
        assertThat(InventoryComparison.differences(one, one)).isEmpty();
    }

    @Test
    void everyKindOfDifferenceIsNamed() {
        Inventory snapshot = inventory(Map.of("public.a", new Inventory.TableFigures(3, "x"),
                        "public.b", new Inventory.TableFigures(2, "y"), "public.c", new Inventory.TableFigures(1, "z")),
                Map.of("public.s", new Inventory.Counter(5, false), "public.down", new Inventory.Counter(-5, true)),
                Map.of("public.v", "SELECT 1"), Map.of("public.a.id", "#1 integer not null"));
        Inventory target = inventory(Map.of("public.a", new Inventory.TableFigures(2, "x"),
                        "public.b", new Inventory.TableFigures(2, "changed"), "public.extra", new Inventory.TableFigures(0, "0")),
                Map.of("public.s", new Inventory.Counter(4, false), "public.down", new Inventory.Counter(-4, true)),
                Map.of(), Map.of("public.a.id", "#1 bigint not null"));

        assertThat(InventoryComparison.differences(snapshot, target)).containsExactlyInAnyOrder(
                "table public.a: 3 rows in the snapshot, 2 in the target",
                "table public.b: same row count (2) but different content checksums",
                "table public.c is missing in the target",
                "table public.extra is in the target but not in the snapshot",
                "counter public.s: next value 4 in the target is below the snapshot's 5 (it would hand out values already used)",
                "counter public.down: next value -4 in the target is above the snapshot's -5 (it would hand out values already used)",
                "view public.v is missing in the target",
                "column public.a.id differs: '#1 integer not null' in the snapshot, '#1 bigint not null' in the target");
    }

    @Test
    void aCounterFurtherAlongThanTheSnapshotIsFaithful() {
        Inventory snapshot = inventory(Map.of(), Map.of("t auto_increment", new Inventory.Counter(100, false)), Map.of(), Map.of());
        Inventory target = inventory(Map.of(), Map.of("t auto_increment", new Inventory.Counter(130, false)), Map.of(), Map.of());
        assertThat(InventoryComparison.differences(snapshot, target)).isEmpty();
    }

    @Test
    void countsOnlyInventoriesCompareRowCounts() {
        Inventory source = inventory(Map.of("public.a", new Inventory.TableFigures(3, null)), Map.of(), Map.of(), Map.of());
        Inventory target = inventory(Map.of("public.a", new Inventory.TableFigures(3, "x")), Map.of(), Map.of(), Map.of());
        assertThat(InventoryComparison.differences(source, target)).isEmpty();
    }

    @Test
    void kindsAreNamedInTheSingular() {
        assertThat(InventoryComparison.singular("indexes")).isEqualTo("index");
        assertThat(InventoryComparison.singular("policies")).isEqualTo("policy");
        assertThat(InventoryComparison.singular("foreign-keys")).isEqualTo("foreign key");
        assertThat(InventoryComparison.singular("sequences")).isEqualTo("sequence");
        assertThat(InventoryComparison.singular("materialized-views")).isEqualTo("materialized view");
    }
}
