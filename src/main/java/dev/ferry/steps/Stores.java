package dev.ferry.steps;

import dev.ferry.camel.StepExecution;

import dev.ferry.runtime.RunContext;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ObjectStoreSettings;
import dev.ferry.storage.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;

/** The run's one S3 client and artifact store, made from {@code ferry.store} on first use. */
public final class Stores {

    private Stores() {
    }

    /** The object store a migration's settings name ({@code storage.*}), outside any run. */
    public static ObjectStoreSettings settings(dev.ferry.runtime.Settings raw, dev.ferry.runtime.Settings resolved, String step) {
        return ConnectionSettings.store(resolved, new dev.ferry.credentials.CredentialResolver(raw, resolved), step);
    }

    public static ArtifactStore artifacts(StepExecution execution) {
        return new ArtifactStore(client(execution), execution.input(Variables.STORE, ObjectStoreSettings.class));
    }

    public static S3Client client(StepExecution execution) {
        return client(execution.run(), execution.input(Variables.STORE, ObjectStoreSettings.class), execution.stepId());
    }

    /** The run's S3 client, made on first use; safe to call from another thread. */
    static S3Client client(RunContext run, ObjectStoreSettings settings, String step) {
        return run.shared("s3-client", S3Client.class, () -> S3ClientFactory.create(settings, step));
    }
}
