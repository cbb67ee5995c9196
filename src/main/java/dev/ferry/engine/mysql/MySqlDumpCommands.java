package dev.ferry.engine.mysql;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.ServerVersion;
import dev.ferry.process.ChildCommand;

import java.util.List;

/**
 * The command whose stdout is a logical dump of one database: {@code database.sql}, plain SQL in
 * format {@value #SQL_FORMAT}.
 *
 * <ul>
 *   <li>One database, named without {@code --databases}: the dump has no {@code CREATE DATABASE}
 *       nor {@code USE}, so it restores into a target database of any name.</li>
 *   <li>{@code --single-transaction}: a consistent InnoDB snapshot without locking the source
 *       (non-transactional tables such as MyISAM are not covered by it).</li>
 *   <li>{@code --routines --events --triggers}: mariadb-dump leaves routines and events out by
 *       default. Each object comes with a {@code DROP ... IF EXISTS} before it (tables, views,
 *       routines, events, sequences; triggers go with their table).</li>
 *   <li>{@code --hex-blob}: binary values as hex literals, so no byte depends on escaping.</li>
 *   <li>{@code --default-character-set=utf8mb4}: every character survives, emoji included.</li>
 *   <li>{@code --no-tablespaces}: needs no PROCESS privilege, and tablespaces are the target's business.</li>
 *   <li>MySQL's mysqldump only: {@code --set-gtid-purged=OFF}. By default it writes
 *       {@code SET @@GLOBAL.gtid_purged} when the source uses GTIDs, which a target with GTID history
 *       of its own rejects (and which is a replication setting, not data); MariaDB's tool has no such
 *       option. From 8.0 also {@code --column-statistics=0}: histograms are statistics, not data, and
 *       the query for them fails on MariaDB and older MySQL servers.</li>
 * </ul>
 * Users and grants are not dumped: {@link dev.ferry.engine.DumpOptions#globals()} is ignored for
 * now. Objects keep their {@code DEFINER}; the target needs those accounts for views, routines,
 * triggers and events to run (creating them works without).
 */
final class MySqlDumpCommands {

    static final String SQL_FORMAT = "mysqldump-sql";
    static final String DATABASE_PART = "database.sql";

    List<DumpPart> parts(DatabaseEndpoint source, String program, ServerVersion tool) {
        return List.of(new DumpPart(DATABASE_PART, SQL_FORMAT, database(source, program, tool)));
    }

    private static ChildCommand database(DatabaseEndpoint source, String program, ServerVersion tool) {
        ChildCommand.Builder command = MySqlToolOptions.command(program, source, tool.flavour());
        command.args(List.of("--single-transaction", "--routines", "--events", "--triggers", "--hex-blob",
                "--default-character-set=utf8mb4", "--no-tablespaces", "--max-allowed-packet=1G"));
        if (MySqlVersions.MYSQL.equals(tool.flavour())) {
            command.arg("--set-gtid-purged=OFF");
            if (tool.major() >= 800) {
                command.arg("--column-statistics=0");
            }
        }
        // "--" ends the options: a database named like an option stays a name
        return command.arg("--").arg(source.database()).build();
    }
}
