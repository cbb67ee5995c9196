package dev.ferry.engine.mysql;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the client programs are: a folder ({@code -Dferry.mysqlbin}), or the PATH when no folder is
 * given. A MariaDB server gets MariaDB's programs ({@code mariadb-dump}, {@code mariadb}), a MySQL
 * server MySQL's ({@code mysqldump}, {@code mysql}); when the preferred one is not installed the
 * other flavour's is used (on Debian's MariaDB packages {@code mysqldump} is MariaDB's anyway), and
 * the flags follow the flavour of the program actually chosen, read from its {@code --version}.
 */
final class MySqlPrograms {

    static final String FOLDER_PROPERTY = "ferry.mysqlbin";
    private static final List<String> MARIADB_DUMP = List.of("mariadb-dump", "mysqldump");
    private static final List<String> MYSQL_DUMP = List.of("mysqldump", "mariadb-dump");
    private static final List<String> MARIADB_CLIENT = List.of("mariadb", "mysql");
    private static final List<String> MYSQL_CLIENT = List.of("mysql", "mariadb");

    private final Path folder;

    MySqlPrograms(Path folder) {
        this.folder = folder;
    }

    static MySqlPrograms fromSystemProperty() {
        String folder = System.getProperty(FOLDER_PROPERTY);
        return new MySqlPrograms(folder == null || folder.isBlank() ? null : Path.of(folder));
    }

    /** The dump tool for a server of this flavour ({@code mariadb} or {@code mysql}). */
    String dump(String serverFlavour) {
        return first(MySqlVersions.MARIADB.equals(serverFlavour) ? MARIADB_DUMP : MYSQL_DUMP);
    }

    /** The command-line client for a server of this flavour. */
    String client(String serverFlavour) {
        return first(MySqlVersions.MARIADB.equals(serverFlavour) ? MARIADB_CLIENT : MYSQL_CLIENT);
    }

    /** The first program that is installed, else the first name (starting it then fails with TOOL_MISSING). */
    private String first(List<String> names) {
        for (String name : names) {
            Path found = find(name);
            if (found != null) {
                return found.toString();
            }
        }
        return folder == null ? names.get(0) : folder.resolve(names.get(0)).toString();
    }

    private Path find(String name) {
        if (folder != null) {
            Path candidate = folder.resolve(name);
            return Files.isExecutable(candidate) ? candidate : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
