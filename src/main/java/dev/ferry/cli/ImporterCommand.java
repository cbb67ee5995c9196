package dev.ferry.cli;

import dev.ferry.everest.importer.FerryImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ferry importer /payload/request.json}: the entrypoint of Ferry's Everest DataImporters
 * ({@code examples/everest/}). Exactly one argument, as Everest passes it.
 */
@Command(name = "importer", description = "Run as a Percona Everest DataImporter: restore the Ferry artifact a request.json names"
        + " into the new cluster (exit 0 on success; the last line says how it ended).")
final class ImporterCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "1", paramLabel = "REQUEST.json", description = "the request Everest mounts at /payload/request.json")
    Path request;

    @Override
    public Integer call() {
        return new FerryImporter(System.out, System.getenv()).run(request);
    }
}
