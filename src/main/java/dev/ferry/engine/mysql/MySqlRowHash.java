package dev.ferry.engine.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A table's content checksum: the sum over its rows of the CRC32 of the row's text, so the order
 * rows come in does not matter (chosen on measurement over MD5: README, "What Ferry guarantees").
 * Each column becomes {@code ~} for NULL or {@code <byte length>:<text>} (so no NULL, separator or
 * empty string is mistaken for another); text columns in utf8mb4, binary columns (and spatial ones)
 * in hex, BIT as a number, everything else in the server's text form with the session time zone at
 * UTC. {@code CHECKSUM TABLE} is not used: it depends on the row format and the server version.
 * JSON is hashed as text: MariaDB keeps the text as written, MySQL normalises it, so a JSON column
 * compares alike only within a flavour.
 */
final class MySqlRowHash {

    static final String CRC32 = "mysql-crc32-1";

    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext",
            "longtext", "enum", "set", "json");
    private static final Set<String> BINARY_TYPES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection", "geomcollection");

    private MySqlRowHash() {
    }

    static String sum(List<String[]> columns) {
        return "CAST(COALESCE(SUM(CRC32(" + rowText(columns) + ")), 0) AS CHAR)";
    }

    /** One row as one utf8mb4 text: each column "~" for NULL, else its byte length, ':' and its text. */
    static String rowText(List<String[]> columns) {
        List<String> parts = new ArrayList<>();
        for (String[] column : columns) {
            String name = MySqlIdentifiers.quote(column[0]);
            String text = "CONVERT(" + valueText(name, column[1]) + " USING utf8mb4)";
            parts.add("IF(" + name + " IS NULL, '~', CONCAT(LENGTH(" + text + "), ':', " + text + "))");
        }
        return "CONCAT_WS('|', " + String.join(", ", parts) + ")";
    }

    private static String valueText(String column, String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (BINARY_TYPES.contains(type)) {
            return "HEX(" + column + ")";
        }
        if ("bit".equals(type)) {
            return "CAST(" + column + " AS UNSIGNED)";
        }
        if (TEXT_TYPES.contains(type)) {
            return column;
        }
        return "CAST(" + column + " AS CHAR)";
    }
}
