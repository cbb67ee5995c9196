package dev.ferry.pgbackrest;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgBackRest backup labels: {@code YYYYMMDD-HHMMSSF} for a full backup, {@code <full>_YYYYMMDD-HHMMSSD}
 * for a differential and {@code ..._I} for an incremental one, the timestamp of the backup itself last.
 */
public final class BackupLabel {

    private static final Pattern LABEL = Pattern.compile("(\\d{8}-\\d{6})F(?:_(\\d{8}-\\d{6})([DI]))?");
    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final DateTimeFormatter CHARM_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private BackupLabel() {
    }

    public static boolean isValid(String label) {
        return label != null && LABEL.matcher(label).matches();
    }

    /** full, diff or incr, as pgBackRest names the types. */
    public static String type(String label) {
        Matcher matcher = matcher(label);
        return matcher.group(3) == null ? "full" : matcher.group(3).equals("D") ? "diff" : "incr";
    }

    /**
     * The charm's {@code backup-id} ({@code %Y-%m-%dT%H:%M:%SZ}) for a label: the backup's own
     * timestamp, which pgBackRest writes in the source host's time zone (UTC on charm hosts).
     */
    public static String charmBackupId(String label) {
        Matcher matcher = matcher(label);
        String own = matcher.group(2) != null ? matcher.group(2) : matcher.group(1);
        return LocalDateTime.parse(own, LABEL_TIME).format(CHARM_ID);
    }

    private static Matcher matcher(String label) {
        Matcher matcher = LABEL.matcher(label == null ? "" : label);
        if (!matcher.matches()) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "'" + label + "' is not a pgBackRest backup label", null,
                    "Labels look like 20250702-085755F, 20250702-085755F_20250703-010000D or ..._20250703-010000I");
        }
        return matcher;
    }
}
