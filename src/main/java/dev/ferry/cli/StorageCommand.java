package dev.ferry.cli;

import dev.ferry.steps.Stores;
import dev.ferry.runtime.Console;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ObjectStoreSettings;
import dev.ferry.storage.S3ClientFactory;
import dev.ferry.storage.StorageCleanup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "storage", description = "Look after a migration's object storage.", subcommands = StorageCommand.Cleanup.class)
final class StorageCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "cleanup", description = "List and abort the unfinished multipart uploads under the migration's artifact folder.")
    static final class Cleanup implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "The migration file (*.camel.yaml).")
        Path file;

        @Option(names = "--list", description = "Only list them.")
        boolean listOnly;

        @Option(names = "--force", description = "Abort them although a run holds the writer lease (that run is known to be dead).")
        boolean force;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Console console = Console.system();
            return MigrationRunner.withSettings(file, common.home(), (raw, resolved) -> {
                ObjectStoreSettings settings = Stores.settings(raw, resolved, StorageCleanup.STEP);
                String database = resolved.require("source.database", StorageCleanup.STEP);
                try (S3Client client = S3ClientFactory.create(settings, StorageCleanup.STEP)) {
                    List<ArtifactStore.UnfinishedUpload> found = StorageCleanup.run(new ArtifactStore(client, settings), database,
                            listOnly, force);
                    found.forEach(u -> console.line((listOnly ? "unfinished  " : "aborted     ") + u.initiated() + "  s3://"
                            + settings.bucket() + "/" + u.key() + "  (upload " + u.uploadId() + ")"));
                    console.line(found.size() + " unfinished upload(s) under s3://" + settings.bucket() + "/"
                            + dev.ferry.storage.ArtifactLayout.databaseFolder(settings.prefix(), database)
                            + (listOnly || found.isEmpty() ? "" : ", all aborted"));
                    return FerryCli.DONE;
                }
            });
        }
    }
}
