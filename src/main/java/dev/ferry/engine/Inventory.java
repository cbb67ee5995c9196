package dev.ferry.engine;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * What a smoke test compares between source and target: per table a row count and an
 * order-independent content checksum, sequence values, and the names of views, routines and
 * extensions (and, for engines that have them, triggers, events, collations). Keys are qualified
 * names such as {@code public.orders}.
 */
public record Inventory(SortedMap<String, TableFigures> tables,
                        SortedMap<String, String> sequences,
                        Map<String, Set<String>> objects) {

    /** Row count and content checksum of one table; checksum is null when not computed. */
    public record TableFigures(long rows, String checksum) {
    }
}
