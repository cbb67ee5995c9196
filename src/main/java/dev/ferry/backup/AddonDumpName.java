package dev.ferry.backup;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time in the file name of a hosting add-on's dump: {@code <timestamp>[anything].sql.gz}, the
 * timestamp either the add-on's {@code %F_%H%M%S_%Z} (for example {@code
 * 2026-12-07_031500_UTC-auto(postgres-15.5).sql.gz}; the zone UTC when left out, or an offset such as
 * +0100) or Ferry's own {@code yyyyMMdd'T'HHmmss'Z'}. Other names are not the add-on's dumps.
 */
final class AddonDumpName {

    static final String SUFFIX = ".sql.gz";

    private static final Pattern ADDON = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}_\\d{6})(?:_([A-Za-z][A-Za-z0-9/]*|[+-]\\d{4}))?(?:[-_.].*)?$");
    private static final Pattern FERRY = Pattern.compile("^(\\d{8}T\\d{6}Z)(?:[-_.].*)?$");
    private static final DateTimeFormatter ADDON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmmss");
    private static final DateTimeFormatter FERRY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private AddonDumpName() {
    }

    /** The dump's time, or empty when {@code fileName} is not a dump's name (or names a zone Java does not know). */
    static Optional<Instant> time(String fileName) {
        if (!fileName.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
        try {
            Matcher ferry = FERRY.matcher(stem);
            if (ferry.matches()) {
                return Optional.of(LocalDateTime.parse(ferry.group(1), FERRY_TIME).toInstant(ZoneOffset.UTC));
            }
            Matcher addon = ADDON.matcher(stem);
            if (addon.matches()) {
                return Optional.of(LocalDateTime.parse(addon.group(1), ADDON_TIME).atZone(zone(addon.group(2))).toInstant());
            }
        } catch (DateTimeException notATime) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static ZoneId zone(String name) {
        if (name == null || name.equals("UTC") || name.equals("GMT") || name.equals("Z")) {
            return ZoneOffset.UTC;
        }
        if (name.startsWith("+") || name.startsWith("-")) {
            return ZoneOffset.of(name);
        }
        return ZoneId.of(name, ZoneId.SHORT_IDS);
    }
}
