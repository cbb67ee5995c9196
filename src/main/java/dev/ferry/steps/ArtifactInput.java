package dev.ferry.steps;

import dev.ferry.camel.StepExecution;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.PreparedMigration;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.Manifest;

/**
 * The artifact a step works on: {@code ferry.artifact} when an earlier step set it, else the
 * {@code artifact} setting ({@code s3://bucket/folder/}, a folder in the configured bucket, or
 * {@code latest} for the newest complete artifact of the source database). Only a folder with a
 * manifest is an artifact.
 */
public final class ArtifactInput {

    private ArtifactInput() {
    }

    public static ArtifactRef resolve(StepExecution execution) {
        ArtifactRef given = execution.optionalInput(Variables.ARTIFACT, ArtifactRef.class);
        if (given != null) {
            return given;
        }
        String step = execution.stepId();
        String setting = execution.settings().require(PreparedMigration.ARTIFACT_SETTING, step);
        ArtifactStore store = Stores.artifacts(execution);
        ArtifactFolder folder = "latest".equals(setting) ? latest(execution, store) : parse(setting, store, step);
        Manifest manifest = store.readManifest(folder, step);
        ArtifactRef artifact = new ArtifactRef(store.uri(folder), store.settings().bucket(), folder, manifest);
        execution.run().artifactUri(execution.stepId(), artifact.uri());
        execution.output(Variables.ARTIFACT, artifact);
        return artifact;
    }

    private static ArtifactFolder latest(StepExecution execution, ArtifactStore store) {
        DatabaseEndpoint source = execution.input(Variables.SOURCE, DatabaseEndpoint.class);
        return store.latest(source.database()).orElseThrow(() -> execution.fail(ErrorCode.MANIFEST_MISSING,
                "No complete artifact of database " + source.database() + " under " + store.settings().describe(),
                "no folder there has a manifest.json", "Run the dump and upload first"));
    }

    private static ArtifactFolder parse(String setting, ArtifactStore store, String step) {
        String path = setting;
        String bucketPrefix = "s3://" + store.settings().bucket() + "/";
        if (path.startsWith("s3://")) {
            if (!path.startsWith(bucketPrefix)) {
                throw new FerryException(ErrorCode.BAD_INPUT, step, "artifact " + setting + " is not in the configured bucket",
                        "storage.bucket is " + store.settings().bucket(), "Set storage.bucket to the artifact's bucket");
            }
            path = path.substring(bucketPrefix.length());
        }
        return ArtifactLayout.parse(path).orElseThrow(() -> new FerryException(ErrorCode.BAD_INPUT, step,
                "artifact " + setting + " is not an artifact folder",
                "expected <prefix>/<database>/<yyyyMMddTHHmmssZ>/", "Copy the artifact folder from a run's report (ferry runs lists the runs)"));
    }
}
