package dev.ferry.engine.postgres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which post-data entries of an archive may be built while other tables still load, and when.
 * An index, a primary key, unique or foreign key constraint (and the comments on them) is early:
 * it may start once every table it depends on has its data in (a table without data of its own, a
 * partitioned one, once it exists) and the post-data entries it depends on are built. Everything else in post-data (triggers, rules, policies, materialized view
 * refreshes, and whatever depends on them) is late: it runs in archive order once all data and
 * all early entries are in, as a serial pg_restore would.
 */
final class PostDataPlan {

    private static final Set<String> EARLY_TYPES = Set.of("INDEX", "CONSTRAINT", "FK CONSTRAINT", "COMMENT");
    /** These take a lock that conflicts with any other early entry on the same table; an index does not conflict with an index. */
    private static final String SHARED_LOCK_TYPE = "INDEX";

    /**
     * One early entry: the tables whose data it waits for (by their data entry's dump id), the early
     * entries it waits for, and whether it is on a table without data of its own (a partitioned
     * table), which it needs only to exist: it waits for the pre-data to be in.
     */
    record Item(ArchiveToc.Entry entry, Set<Integer> tableData, Set<Integer> after, Set<Integer> lockedTables,
                boolean afterPreData) {

        boolean sharesLocks() {
            return SHARED_LOCK_TYPE.equals(entry.desc()) || "COMMENT".equals(entry.desc());
        }
    }

    private final Map<Integer, Item> early;
    private final List<ArchiveToc.Entry> late;
    private final Map<String, Integer> tableDataByName;

    private PostDataPlan(Map<Integer, Item> early, List<ArchiveToc.Entry> late, Map<String, Integer> tableDataByName) {
        this.early = early;
        this.late = late;
        this.tableDataByName = tableDataByName;
    }

    /** The early entries in archive order. */
    Collection<Item> early() {
        return early.values();
    }

    /** The late entries in archive order. */
    List<ArchiveToc.Entry> late() {
        return late;
    }

    /** The dump id of the data entry of {@code schema.table} as pg_restore names it ("schema.table"), or null. */
    Integer tableData(String qualifiedName) {
        return tableDataByName.get(qualifiedName);
    }

    static PostDataPlan of(ArchiveToc toc) {
        Map<Integer, ArchiveToc.Entry> byId = new HashMap<>();
        Map<Integer, Integer> dataOfTable = new HashMap<>();
        Map<String, Integer> dataByName = new HashMap<>();
        for (ArchiveToc.Entry entry : toc.entries()) {
            byId.put(entry.dumpId(), entry);
            if (entry.isTableData() && entry.section() == ArchiveToc.SECTION_DATA) {
                for (int dependency : entry.dependencies()) {
                    ArchiveToc.Entry table = byId.get(dependency);
                    if (table != null && "TABLE".equals(table.desc())) {
                        dataOfTable.put(dependency, entry.dumpId());
                    }
                }
                dataByName.put(entry.namespace() + "." + entry.tag(), entry.dumpId());
            }
        }
        Map<Integer, Item> early = new LinkedHashMap<>();
        Set<Integer> lateIds = new HashSet<>();
        List<ArchiveToc.Entry> late = new ArrayList<>();
        for (ArchiveToc.Entry entry : toc.entries()) {
            if (entry.section() != ArchiveToc.SECTION_POST_DATA) {
                continue;
            }
            Item item = earlyItem(entry, byId, dataOfTable, early, lateIds);
            if (item == null) {
                lateIds.add(entry.dumpId());
                late.add(entry);
            } else {
                early.put(entry.dumpId(), item);
            }
        }
        return new PostDataPlan(early, List.copyOf(late), Map.copyOf(dataByName));
    }

    /** The entry as an early item, or null when it must wait for everything (late). */
    private static Item earlyItem(ArchiveToc.Entry entry, Map<Integer, ArchiveToc.Entry> byId, Map<Integer, Integer> dataOfTable,
                                  Map<Integer, Item> early, Set<Integer> lateIds) {
        if (!EARLY_TYPES.contains(entry.desc())) {
            return null;
        }
        Set<Integer> tableData = new HashSet<>();
        Set<Integer> after = new HashSet<>();
        Set<Integer> locked = new HashSet<>();
        boolean afterPreData = false;
        for (int dependency : entry.dependencies()) {
            ArchiveToc.Entry on = byId.get(dependency);
            if (on == null) {
                continue;
            }
            if (lateIds.contains(dependency)) {
                return null;
            }
            Item earlier = early.get(dependency);
            if (earlier != null) {
                after.add(dependency);
                locked.addAll(earlier.lockedTables());
            } else if ("TABLE".equals(on.desc())) {
                Integer data = dataOfTable.get(dependency);
                if (data == null) {
                    afterPreData = true;
                } else {
                    tableData.add(data);
                }
                locked.add(dependency);
            } else if (on.section() == ArchiveToc.SECTION_DATA || on.section() == ArchiveToc.SECTION_POST_DATA) {
                return null;
            }
        }
        if (tableData.isEmpty() && after.isEmpty() && !afterPreData) {
            return null;
        }
        return new Item(entry, Set.copyOf(tableData), Set.copyOf(after), Set.copyOf(locked), afterPreData);
    }
}
