package dev.ferry.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a child starts with: only what any program needs to run (PATH, HOME, the user,
 * the locale, the time zone, the temporary folder), never Ferry's own variables, which may hold
 * the other side's password or the S3 secret key. Each command adds the one secret it needs.
 */
public final class ChildEnvironment {

    static final Set<String> PASSED_ON = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM");

    private ChildEnvironment() {
    }

    /** The passed-on subset of {@code parent}: the names above and every {@code LC_*}. */
    public static Map<String, String> baseline(Map<String, String> parent) {
        Map<String, String> base = new LinkedHashMap<>();
        parent.forEach((name, value) -> {
            if (PASSED_ON.contains(name) || name.startsWith("LC_")) {
                base.put(name, value);
            }
        });
        base.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return base;
    }
}
