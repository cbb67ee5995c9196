package dev.ferry.smoke;

import dev.ferry.runtime.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A check of the user's: {@code check.<name>.sql} (a query returning one value, run on the target)
 * and {@code check.<name>.expect}: a literal value, or {@code source} to expect what the same query
 * returns on the source.
 */
public record CustomCheck(String name, String sql, String expect) {

    public static final java.util.List<dev.ferry.spec.Setting> SETTINGS = java.util.List.of(
            dev.ferry.spec.Setting.text("check.<name>.sql", null, "your own check: a query returning one value, run on the target"),
            dev.ferry.spec.Setting.text("check.<name>.expect", "source",
                    "source: the value the same query returned on the source in the dump's snapshot; anything else: a literal"));

    public static final String EXPECT_SOURCE = "source";

    public boolean comparesWithSource() {
        return EXPECT_SOURCE.equals(expect);
    }

    public static List<CustomCheck> fromSettings(Settings settings) {
        Map<String, String> checks = settings.withPrefix("check.");
        Map<String, String[]> byName = new TreeMap<>();
        checks.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            if (dot > 0) {
                String[] pair = byName.computeIfAbsent(key.substring(0, dot), n -> new String[2]);
                switch (key.substring(dot + 1)) {
                    case "sql" -> pair[0] = value;
                    case "expect" -> pair[1] = value;
                    default -> { }
                }
            }
        });
        List<CustomCheck> result = new ArrayList<>();
        byName.forEach((name, pair) -> result.add(new CustomCheck(name, pair[0], pair[1] == null ? EXPECT_SOURCE : pair[1])));
        return result;
    }
}
