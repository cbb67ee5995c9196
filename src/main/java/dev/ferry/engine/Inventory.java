package dev.ferry.engine;

import java.util.List;
import java.util.SortedMap;

/**
 * What a database holds, read in one snapshot: per table a row count and an order-independent
 * content checksum; counters (sequences, AUTO_INCREMENT), which are not transactional; every other
 * object class as name → definition ({@code objects}: kind → name → definition text, so a changed
 * definition is named, not only a missing object); the values of the migration's own checks; and
 * the object classes the engine does not compare. Keys are qualified names such as
 * {@code public.orders}. {@code rowHash} names how rows were hashed, so the other side hashes alike.
 */
public record Inventory(String rowHash,
                        SortedMap<String, TableFigures> tables,
                        SortedMap<String, Counter> counters,
                        SortedMap<String, SortedMap<String, String>> objects,
                        SortedMap<String, String> checks,
                        List<String> notCompared) {

    /** Row count and content checksum of one table; checksum is null when not computed. */
    public record TableFigures(long rows, String checksum) {
    }

    /**
     * The next value a counter hands out. Counters move outside transactions, so the dump may hold
     * a later value than the one read in its snapshot: a faithful copy has a counter at least this
     * far along ({@code descending}: at most).
     */
    public record Counter(long next, boolean descending) {

        public boolean reachedBy(Counter other) {
            return descending ? other.next <= next : other.next >= next;
        }

        @Override
        public String toString() {
            return Long.toString(next);
        }
    }

    public long rows() {
        return tables.values().stream().mapToLong(TableFigures::rows).sum();
    }

    public int objectCount() {
        return objects.values().stream().mapToInt(SortedMap::size).sum();
    }
}
