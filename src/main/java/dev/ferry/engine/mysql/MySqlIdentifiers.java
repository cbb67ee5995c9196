package dev.ferry.engine.mysql;

/** Quotes names for MySQL and MariaDB SQL text, where they cannot be bind parameters. */
public final class MySqlIdentifiers {

    private MySqlIdentifiers() {
    }

    /** {@code name} in backticks, any backtick in it doubled. */
    public static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    public static String qualified(String database, String name) {
        return quote(database) + "." + quote(name);
    }

    /** A string literal for SQL text (for names only; values go in bind parameters). */
    static String literal(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
