package dev.ferry.engine.mysql;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A MariaDB GTID position ({@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos}): the last sequence
 * number of each replication domain. A stream's position is counted in transactions: the sum of the
 * sequence numbers of the source's domains.
 */
record MariaDbGtid(Map<Long, Long> lastByDomain) {

    static MariaDbGtid parse(String text) {
        Map<Long, Long> last = new LinkedHashMap<>();
        if (text != null) {
            for (String part : text.split(",")) {
                String[] fields = part.trim().split("-");
                if (fields.length == 3) {
                    last.merge(Long.parseLong(fields[0]), Long.parseLong(fields[2]), Math::max);
                }
            }
        }
        return new MariaDbGtid(last);
    }

    long transactions() {
        return lastByDomain.values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many of {@code source}'s transactions this (a replica's position) has applied. */
    long appliedOf(MariaDbGtid source) {
        long applied = 0;
        for (Map.Entry<Long, Long> domain : source.lastByDomain.entrySet()) {
            applied += Math.min(domain.getValue(), lastByDomain.getOrDefault(domain.getKey(), 0L));
        }
        return applied;
    }
}
