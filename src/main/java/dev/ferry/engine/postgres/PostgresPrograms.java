package dev.ferry.engine.postgres;

import java.nio.file.Path;

/**
 * Where the client programs (pg_dump, pg_dumpall, pg_restore, psql) are: a folder, or the PATH
 * when no folder is given.
 */
final class PostgresPrograms {

    static final String FOLDER_PROPERTY = "ferry.pgbin";

    private final Path folder;

    PostgresPrograms(Path folder) {
        this.folder = folder;
    }

    static PostgresPrograms fromSystemProperty() {
        String folder = System.getProperty(FOLDER_PROPERTY);
        return new PostgresPrograms(folder == null || folder.isBlank() ? null : Path.of(folder));
    }

    String pgDump() {
        return program("pg_dump");
    }

    String pgDumpall() {
        return program("pg_dumpall");
    }

    String pgRestore() {
        return program("pg_restore");
    }

    String psql() {
        return program("psql");
    }

    private String program(String name) {
        return folder == null ? name : folder.resolve(name).toString();
    }
}
