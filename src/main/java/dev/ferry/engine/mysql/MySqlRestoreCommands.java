package dev.ferry.engine.mysql;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildCommand;

import java.util.List;

/**
 * The command that applies a {@value MySqlDumpCommands#SQL_FORMAT} dump to a target database:
 * the command-line client reading the dump on stdin, stopping at the first error.
 *
 * <p>Never atomic: every {@code CREATE}/{@code DROP} commits on its own, so statements take effect
 * as they are read. A caller that verifies a checksum while streaming must, on a mismatch, kill the
 * client and undo the import with {@link dev.ferry.engine.Engine#recreateDatabase} (on a target that
 * was empty before).
 *
 * <p>{@code clean}: the dump itself drops each object it brings right before creating it
 * ({@code DROP TABLE/VIEW/SEQUENCE/FUNCTION/PROCEDURE/EVENT IF EXISTS}; a table's triggers go with it),
 * as {@code pg_restore --clean --if-exists} does. So a clean restore is the same command: it
 * replaces the objects the dump brings and leaves others in the target alone. A local file is
 * ignored: the client restores one stream. {@code jobs} above 1 into a staging database (nobody sees
 * it before it is complete and verified) loads the INSERTs with that many sessions beside the
 * client ({@link MySqlInsertRouter}); otherwise it is ignored.
 */
final class MySqlRestoreCommands {

    RestorePart part(String format, DatabaseEndpoint target, RestoreOptions options, String program, String toolFlavour) {
        checkFormat(format);
        if (options.staged() && !options.clean() && options.jobs() > 1) {
            MySqlInsertRouter router = new MySqlInsertRouter(() -> client(target, program, toolFlavour, true).build(),
                    options.jobs(), target.database(), options.step(), options.timeout());
            return new RestorePart(MySqlDumpCommands.SQL_FORMAT, client(target, program, toolFlavour, true).build(), false,
                    List.of(), false, router);
        }
        return new RestorePart(MySqlDumpCommands.SQL_FORMAT, client(target, program, toolFlavour, false).build(), false, List.of());
    }

    /** {@code marks}: the client prints the router's sync marks as soon as it runs them ({@link MySqlSyncMarks}). */
    private static ChildCommand.Builder client(DatabaseEndpoint target, String program, String toolFlavour, boolean marks) {
        ChildCommand.Builder command = MySqlToolOptions.command(program, target, toolFlavour);
        // --binary-mode: a dump holds binary data and \0 in strings, not client commands
        command.args(List.of("--default-character-set=utf8mb4", "--binary-mode", "--max-allowed-packet=1G",
                "--database=" + target.database()));
        if (marks) {
            command.args(List.of("--batch", "--skip-column-names", "--unbuffered"));
        }
        return command;
    }

    static void checkFormat(String format) {
        if (!MySqlDumpCommands.SQL_FORMAT.equals(format)) {
            throw new FerryException(ErrorCode.BAD_INPUT, null,
                    "MySQL cannot restore a dump object of format '" + format + "'",
                    "the known format is " + MySqlDumpCommands.SQL_FORMAT,
                    "Check that the artifact was made by Ferry's MySQL engine");
        }
    }
}
