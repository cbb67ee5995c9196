package dev.ferry.backup;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.runtime.ProgressHandle;
import dev.ferry.runtime.Variables;
import dev.ferry.spec.StepSpec;
import dev.ferry.steps.ArtifactInput;
import dev.ferry.steps.Stores;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.ChecksumVerifyingInputStream;
import dev.ferry.storage.Manifest;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * {@code ferry:check-artifact}, a backup's {@code check}: reads the artifact back from the bucket as a
 * restore would, its manifest.json as stored and then every object it lists, and fails unless each
 * object's size and SHA-256 match the manifest. A backup that passed it was readable in full after it
 * was written. Streams; nothing is kept. Sets {@code ferry.check}.
 */
public final class CheckArtifactStep implements FerryStep {

    public static final StepSpec SPEC = StepSpec.of("check-artifact",
            "reads the artifact back (manifest.json as stored, then every object) and matches every size and SHA-256 with the manifest",
            StepSpec.Contract.of(Set.of(Variables.ARTIFACT, Variables.STORE), Set.of(Variables.CHECK)), List.of(), List.of());

    @Override
    public void execute(StepExecution execution) throws IOException {
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        execution.output(Variables.CHECK, readBack(execution, Stores.artifacts(execution), artifact));
    }

    /** Reads {@code artifact} back: manifest.json as stored, then every object, each matched with it. */
    static ArtifactCheck readBack(StepExecution execution, ArtifactStore store, ArtifactRef artifact) throws IOException {
        String step = execution.stepId();
        Manifest stored = store.readManifest(artifact.folder(), step);
        long total = stored.objects().stream().mapToLong(Manifest.StoredObject::size).sum();
        long read = 0;
        try (ProgressHandle progress = execution.run().progress("check " + artifact.folder().name(), total)) {
            for (Manifest.StoredObject object : stored.objects()) {
                try (ChecksumVerifyingInputStream in = store.openVerified(object, step)) {
                    byte[] buffer = new byte[256 * 1024];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        progress.add(n);
                    }
                    in.verify(object.sha256(), object.size(), step, object.key());
                    read += in.bytesRead();
                }
            }
        }
        execution.bytes(read);
        execution.note("read back " + stored.objects().size() + " object(s), " + read + " bytes, from " + artifact.uri()
                + ": every size and SHA-256 matches manifest.json");
        return new ArtifactCheck(artifact.uri(), stored.objects().size(), read);
    }
}
