package dev.ferry.engine.postgres;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.engine.RestorePart;
import dev.ferry.process.ChildCommand;

import java.util.List;

/** The commands that apply a dump object to a target database. */
final class PostgresRestoreCommands {

    static final String GLOBALS_DATABASE = "postgres";
    private final PostgresPrograms programs;

    PostgresRestoreCommands(PostgresPrograms programs) {
        this.programs = programs;
    }

    RestorePart part(String format, DatabaseEndpoint target, RestoreOptions options) {
        return switch (format) {
            case PostgresDumpCommands.CUSTOM_FORMAT -> archive(target, options);
            case PostgresDumpCommands.GLOBALS_FORMAT -> globals(target);
            default -> throw new FerryException(ErrorCode.BAD_INPUT, null,
                    "PostgreSQL cannot restore a dump object of format '" + format + "'",
                    "known formats are " + PostgresDumpCommands.CUSTOM_FORMAT + " and " + PostgresDumpCommands.GLOBALS_FORMAT,
                    "Check that the artifact was made by Ferry's PostgreSQL engine");
        };
    }

    private RestorePart archive(DatabaseEndpoint target, RestoreOptions options) {
        ChildCommand.Builder command = ChildCommand.of(programs.pgRestore(),
                "--no-owner", "--no-privileges", "--exit-on-error", "--no-password");
        if (options.clean()) {
            command.args(List.of("--clean", "--if-exists"));
        }
        PostgresToolEnvironment.applyTo(command, target);
        command.arg("--dbname=" + PostgresToolEnvironment.databaseOnly(target.database()));
        // a parallel restore needs a seekable file; a stream is restored in one transaction
        boolean parallel = options.jobs() > 1 && options.localFile() != null;
        if (parallel) {
            command.arg("--jobs=" + options.jobs()).arg(options.localFile().toString());
            return new RestorePart(PostgresDumpCommands.CUSTOM_FORMAT, command.build(), false, List.of());
        }
        if (options.staged() && !options.clean()) {
            // nobody sees a staging database before it is complete: the data commits table by table and
            // each table's indexes and constraints are built beside the load of the next ones
            command.args(List.of("--section=pre-data", "--section=data", "--verbose")).env("LC_ALL", "C");
            PostDataRestore postData = new PostDataRestore(programs, target, options.jobs(),
                    options.scratch(), options.step(), options.timeout());
            return new RestorePart(PostgresDumpCommands.CUSTOM_FORMAT, command.build(), false, List.of(), false, postData);
        }
        command.arg("--single-transaction");
        return new RestorePart(PostgresDumpCommands.CUSTOM_FORMAT, command.build(), true, List.of());
    }

    /** psql running a plain SQL script, stopping at the first error (a staging database takes it, so no transaction is needed). */
    RestorePart script(DatabaseEndpoint target) {
        ChildCommand.Builder command = ChildCommand.of(programs.psql(),
                "--no-psqlrc", "--quiet", "--no-password", "-v", "ON_ERROR_STOP=1");
        PostgresToolEnvironment.applyTo(command, target);
        return new RestorePart("plain-sql", command.build(), false, List.of());
    }

    private RestorePart globals(DatabaseEndpoint target) {
        // roles that exist already (at least the one we connect as) make psql complain and go on
        ChildCommand.Builder command = ChildCommand.of(programs.psql(),
                "--no-psqlrc", "--quiet", "--no-password", "-v", "ON_ERROR_STOP=0");
        PostgresToolEnvironment.applyTo(command, target.withDatabase(GLOBALS_DATABASE));
        return new RestorePart(PostgresDumpCommands.GLOBALS_FORMAT, command.build(), false, List.of("already exists"), true);
    }
}
