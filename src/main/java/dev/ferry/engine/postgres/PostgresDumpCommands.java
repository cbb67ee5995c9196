package dev.ferry.engine.postgres;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.process.ChildCommand;

import java.util.ArrayList;
import java.util.List;

/** The commands whose stdout is a PostgreSQL dump: roles first when asked, then the database. */
final class PostgresDumpCommands {

    static final String GLOBALS_FORMAT = "pg_dumpall-globals";
    static final String CUSTOM_FORMAT = "pg_dump-custom";
    static final String GLOBALS_PART = "globals.sql";
    static final String DATABASE_PART = "database.dump";

    private final PostgresPrograms programs;

    PostgresDumpCommands(PostgresPrograms programs) {
        this.programs = programs;
    }

    /** @param snapshot an exported snapshot the database dump reads, or null for pg_dump's own */
    List<DumpPart> parts(DatabaseEndpoint source, DumpOptions options, String snapshot) {
        List<DumpPart> parts = new ArrayList<>();
        if (options.globals()) {
            parts.add(new DumpPart(GLOBALS_PART, GLOBALS_FORMAT, globals(source)));
        }
        parts.add(new DumpPart(DATABASE_PART, CUSTOM_FORMAT, database(source, snapshot)));
        return List.copyOf(parts);
    }

    private ChildCommand globals(DatabaseEndpoint source) {
        // pg_dumpall ignores PGDATABASE; -l names the database it reads the cluster's roles through
        ChildCommand.Builder command = ChildCommand.of(programs.pgDumpall(), "--globals-only", "--no-role-passwords",
                "--no-password", "-l", PostgresToolEnvironment.databaseOnly(source.database()));
        return PostgresToolEnvironment.applyTo(command, source).build();
    }

    private ChildCommand database(DatabaseEndpoint source, String snapshot) {
        // Ferry compresses the stream itself (zstd): pg_dump's gzip would be the bottleneck
        ChildCommand.Builder command = ChildCommand.of(programs.pgDump(),
                "--format=custom", "--compress=0", "--no-password");
        if (snapshot != null) {
            command.arg("--snapshot=" + snapshot);
        }
        return PostgresToolEnvironment.applyTo(command, source).build();
    }
}
