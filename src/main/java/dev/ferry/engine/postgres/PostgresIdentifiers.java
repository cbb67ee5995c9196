package dev.ferry.engine.postgres;

/** Quotes names for PostgreSQL SQL text, where they cannot be bind parameters. */
public final class PostgresIdentifiers {

    private PostgresIdentifiers() {
    }

    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
