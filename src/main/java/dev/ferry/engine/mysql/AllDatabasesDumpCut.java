package dev.ferry.engine.mysql;

import dev.ferry.engine.SqlScriptCut;

import java.io.InputStream;

/**
 * One database's part of a {@code mariadb-dump --all-databases} (or mysqldump) script, to run in
 * another database: the session settings at the script's head, then every section headed
 * {@code -- Current Database: `<name>`} (the dump has two when views are dumped apart) without the
 * database's own {@code CREATE DATABASE}, {@code DROP DATABASE} and {@code USE}. Other databases'
 * sections, and the closing settings after the last section, are left out.
 */
final class AllDatabasesDumpCut extends SqlScriptCut {

    private static final String SECTION = "-- Current Database: ";

    private final String ownSection;
    private final String quoted;
    private boolean inHead = true;
    private boolean inOwn;
    private boolean found;

    AllDatabasesDumpCut(InputStream script, String database) {
        super(script);
        this.quoted = MySqlIdentifiers.quote(database);
        this.ownSection = SECTION + quoted;
    }

    @Override
    protected boolean keep(String line) {
        if (line.startsWith(SECTION)) {
            inHead = false;
            inOwn = line.equals(ownSection);
            found |= inOwn;
            return false;
        }
        if (inHead) {
            return true;
        }
        if (!inOwn) {
            return false;
        }
        return !(line.startsWith("CREATE DATABASE ") || line.startsWith("USE " + quoted + ";")
                || line.startsWith("/*!40000 DROP DATABASE "));
    }

    @Override
    public boolean foundWhole() {
        return found;
    }
}
