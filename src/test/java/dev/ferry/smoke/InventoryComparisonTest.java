package dev.ferry.smoke;

import dev.ferry.engine.Inventory;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryComparisonTest {

    private static Inventory inventory(Map<String, Inventory.TableFigures> tables, Map<String, String> sequences, Set<String> views) {
        return new Inventory(new TreeMap<>(tables), new TreeMap<>(sequences), Map.of("views", views, "extensions", Set.of("plpgsql")));
    }

    @Test
    void equalInventoriesHaveNoDifferences() {
        Inventory one = inventory(Map.of("public.a", new Inventory.TableFigures(3, "x")), Map.of("public.s", "5/true"), Set.of("public.v"));
        assertThat(InventoryComparison.differences(one, one)).isEmpty();
    }

    @Test
    void everyKindOfDifferenceIsListed() {
        Inventory source = inventory(Map.of("public.a", new Inventory.TableFigures(3, "x"),
                        "public.b", new Inventory.TableFigures(2, "y"), "public.c", new Inventory.TableFigures(1, "z")),
                Map.of("public.s", "5/true"), Set.of("public.v"));
        Inventory target = inventory(Map.of("public.a", new Inventory.TableFigures(2, "x"),
                        "public.b", new Inventory.TableFigures(2, "changed"), "public.extra", new Inventory.TableFigures(0, "0")),
                Map.of("public.s", "1/false"), Set.of());

        assertThat(InventoryComparison.differences(source, target)).containsExactlyInAnyOrder(
                "table public.a: 3 rows in the source, 2 in the target",
                "table public.b: same row count (2) but different content checksums",
                "table public.c is missing in the target",
                "table public.extra is in the target but not in the source",
                "sequence public.s: 5/true in the source, 1/false in the target",
                "view public.v is missing in the target");
    }

    @Test
    void countsOnlyInventoriesCompareRowCounts() {
        Inventory source = inventory(Map.of("public.a", new Inventory.TableFigures(3, null)), Map.of(), Set.of());
        Inventory target = inventory(Map.of("public.a", new Inventory.TableFigures(3, null)), Map.of(), Set.of());
        assertThat(InventoryComparison.differences(source, target)).isEmpty();
    }
}
