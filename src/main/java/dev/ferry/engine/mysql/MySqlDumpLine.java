package dev.ferry.engine.mysql;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What one line of a mysqldump or mariadb-dump file is, seen from the start of a statement: the
 * dumps write every statement's first word at the start of a line, and escape line breaks inside
 * values, so a row never spans lines.
 */
final class MySqlDumpLine {

    private static final byte[] INSERT = "INSERT INTO `".getBytes(StandardCharsets.US_ASCII);
    /** Enough of a line to tell what it is. */
    static final int HEAD_BYTES = 64;

    private MySqlDumpLine() {
    }

    /** {@code INSERT INTO `table` ...}: rows of one table, the whole statement on this line or the next ones. */
    static boolean isInsert(byte[] line, int length) {
        if (length < INSERT.length) {
            return false;
        }
        for (int i = 0; i < INSERT.length; i++) {
            if (line[i] != INSERT[i]) {
                return false;
            }
        }
        return true;
    }

    /** The line's first bytes as text, for the checks below. */
    static String head(byte[] line, int length) {
        return new String(line, 0, Math.min(length, HEAD_BYTES), StandardCharsets.ISO_8859_1);
    }

    static boolean isCommentOrBlank(String head) {
        String text = head.strip();
        return text.isEmpty() || text.startsWith("-- ") || text.equals("--");
    }

    /** {@code DELIMITER ;;}: the client's own command; returns the new delimiter, or null. */
    static String delimiter(String head) {
        if (!head.regionMatches(true, 0, "DELIMITER ", 0, 10)) {
            return null;
        }
        String rest = head.substring(10).strip();
        return rest.isEmpty() ? null : rest;
    }

    /** {@code LOCK TABLES ... WRITE;} and {@code UNLOCK TABLES;}: a parallel load leaves them out. */
    static boolean isTableLock(String head) {
        return head.startsWith("LOCK TABLES ") || head.startsWith("UNLOCK TABLES");
    }

    /**
     * A statement that sets the session up ({@code SET NAMES}, {@code SET TIME_ZONE=...},
     * {@code SET FOREIGN_KEY_CHECKS=0}, a user variable), plain or in a versioned comment; never one
     * that sets a global variable. Every session replays them, so each inserts as the dump's session would.
     */
    static boolean isSessionSetting(byte[] line, int length) {
        String head = head(line, length);
        String statement = head;
        if (statement.startsWith("/*!")) {
            int space = statement.indexOf(' ');
            if (space < 0) {
                return false;
            }
            statement = statement.substring(space + 1);
        }
        if (!statement.regionMatches(true, 0, "SET ", 0, 4)) {
            return false;
        }
        String whole = new String(line, 0, length, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        return !whole.contains("GLOBAL") && !whole.contains("PERSIST");
    }

    /** MariaDB's {@code /*M!999999\- enable the sandbox mode * /}: a client command every session takes. */
    static boolean isClientMode(String head) {
        return head.startsWith("/*M!");
    }
}
