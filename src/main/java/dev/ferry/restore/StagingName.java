package dev.ferry.restore;

/**
 * The staging database of a run's import: the target's name, cut to fit, then {@code _ferry_} and
 * the run id. PostgreSQL names hold at most 63 bytes; the run id stays whole, so a resume finds it.
 */
final class StagingName {

    private static final int MAX_BYTES = 63;

    private StagingName() {
    }

    static String of(String target, String runId) {
        String suffix = "_ferry_" + runId.replace('-', '_');
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < target.length(); ) {
            int codePoint = target.codePointAt(i);
            String next = new String(Character.toChars(codePoint));
            if ((head + next + suffix).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
                break;
            }
            head.append(next);
            i += Character.charCount(codePoint);
        }
        return head + suffix;
    }
}
