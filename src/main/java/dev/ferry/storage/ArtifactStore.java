package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/** Artifacts in one bucket: their objects, their manifests, and which of them are complete. */
public final class ArtifactStore {

    private final S3Client client;
    private final ObjectStoreSettings settings;

    public ArtifactStore(S3Client client, ObjectStoreSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    public ObjectStoreSettings settings() {
        return settings;
    }

    /** A new artifact folder under the settings' prefix. */
    public ArtifactFolder newFolder(String database, Instant createdAt) {
        return ArtifactLayout.folder(settings.prefix(), database, createdAt);
    }

    /** A new artifact folder of one run under the settings' prefix: unique, never reused. */
    public ArtifactFolder newFolder(String database, Instant createdAt, String runId) {
        return ArtifactLayout.folder(settings.prefix(), database, createdAt, runId);
    }

    public S3Client client() {
        return client;
    }

    /** Streams an object into the bucket; see {@link MultipartUploadStream} for how to finish or abort it. */
    public MultipartUploadStream upload(String key, int partSize, LongConsumer progress, String step) {
        return new MultipartUploadStream(client, settings.bucket(), key, partSize, progress, step);
    }

    /** Writes manifest.json; call it last, once every object of the artifact is stored. */
    public void writeManifest(ArtifactFolder folder, Manifest manifest) {
        String step = "write-manifest";
        try {
            client.putObject(request -> request.bucket(settings.bucket()).key(folder.manifestKey())
                    .contentType("application/json"), RequestBody.fromBytes(ManifestJson.write(relativeTo(folder, manifest))));
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not write " + uri(folder) + ArtifactLayout.MANIFEST_NAME, e);
        }
    }

    /** Reads an artifact's manifest, refusing a folder without one: such a dump did not finish. */
    public Manifest readManifest(ArtifactFolder folder, String step) {
        String where = uri(folder) + ArtifactLayout.MANIFEST_NAME;
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = client.getObjectAsBytes(request -> request.bucket(settings.bucket()).key(folder.manifestKey()));
        } catch (NoSuchKeyException e) {
            String what = "Artifact " + uri(folder) + " cannot be imported";
            String why = folderIsEmpty(folder, step)
                    ? "nothing is stored in that folder"
                    : "no manifest.json: the dump did not finish, so this folder is not an importable artifact";
            throw new FerryException(ErrorCode.MANIFEST_MISSING, step, what, why,
                    "Dump again or pick a complete artifact (from a run's report, or for a backup migration 'ferry backups list FILE')");
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not read " + where, e);
        }
        return resolvedIn(folder, ManifestJson.read(bytes.asByteArray(), step, where));
    }

    /** The manifest as stored: every object's key relative to its folder, so that a copied folder is an artifact too. */
    static Manifest relativeTo(ArtifactFolder folder, Manifest manifest) {
        return withKeys(manifest, object -> object.key().startsWith(folder.path())
                ? object.key().substring(folder.path().length()) : object.key());
    }

    /** The manifest as read from a folder: keys resolved in that folder, whatever folder it was written in. */
    static Manifest resolvedIn(ArtifactFolder folder, Manifest manifest) {
        return withKeys(manifest, object -> folder.resolve(object.key()));
    }

    private static Manifest withKeys(Manifest manifest, java.util.function.Function<Manifest.StoredObject, String> key) {
        List<Manifest.StoredObject> objects = manifest.objects().stream()
                .map(o -> new Manifest.StoredObject(o.name(), key.apply(o), o.format(), o.size(), o.sha256(), o.uncompressedSize()))
                .toList();
        return new Manifest(manifest.formatVersion(), manifest.engine(), manifest.serverVersion(), manifest.toolName(),
                manifest.toolVersion(), manifest.format(), manifest.compression(), manifest.createdAt(), manifest.finishedAt(),
                manifest.source(), objects, manifest.figures());
    }

    /** Every artifact folder of a database, oldest first, complete or not. */
    public List<StoredArtifact> list(String prefix, String database) {
        String databaseFolder = ArtifactLayout.databaseFolder(prefix, database);
        Map<String, StoredArtifact> found = new TreeMap<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(settings.bucket())
                    .prefix(databaseFolder)).contents()) {
                Optional<ArtifactFolder> folder = ArtifactLayout.parse(object.key())
                        .filter(candidate -> candidate.path().equals(folderOf(object.key(), databaseFolder)));
                if (folder.isEmpty()) {
                    continue;
                }
                boolean manifest = object.key().equals(folder.get().manifestKey());
                found.merge(folder.get().path(), new StoredArtifact(folder.get(), manifest, object.size()),
                        (known, added) -> new StoredArtifact(known.folder(), known.complete() || added.complete(),
                                known.storedBytes() + added.storedBytes()));
            }
        } catch (SdkException e) {
            throw StorageFailures.of("list-artifacts", "Could not list s3://" + settings.bucket() + "/" + databaseFolder, e);
        }
        List<StoredArtifact> artifacts = new ArrayList<>(found.values());
        artifacts.sort(Comparator.comparing(artifact -> artifact.folder().createdAt()));
        return artifacts;
    }

    public List<StoredArtifact> list(String database) {
        return list(settings.prefix(), database);
    }

    /** The newest artifact of a database that has a manifest. */
    public Optional<ArtifactFolder> latest(String prefix, String database) {
        List<StoredArtifact> artifacts = list(prefix, database);
        for (int i = artifacts.size() - 1; i >= 0; i--) {
            if (artifacts.get(i).complete()) {
                return Optional.of(artifacts.get(i).folder());
            }
        }
        return Optional.empty();
    }

    public Optional<ArtifactFolder> latest(String database) {
        return latest(settings.prefix(), database);
    }

    public ResponseInputStream<GetObjectResponse> openObject(String key) {
        return openObject(key, "read-object");
    }

    public ResponseInputStream<GetObjectResponse> openObject(String key, String step) {
        try {
            return client.getObject(request -> request.bucket(settings.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            throw new FerryException(ErrorCode.STORAGE, step, "Object s3://" + settings.bucket() + "/" + key + " is missing",
                    "the manifest lists it but the bucket does not hold it (deleted or moved?)",
                    "Pick another artifact (from a run's report, or for a backup migration 'ferry backups list FILE') or dump again");
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not read s3://" + settings.bucket() + "/" + key, e);
        }
    }

    /** Opens an object of a manifest for reading; call {@code verify} on it once read. */
    public ChecksumVerifyingInputStream openVerified(Manifest.StoredObject object, String step) {
        return new ChecksumVerifyingInputStream(openObject(object.key(), step));
    }

    /** An upload begun and never completed nor aborted. */
    public record UnfinishedUpload(String key, String uploadId, Instant initiated) {
    }

    /** The unfinished multipart uploads under the database's folder (every artifact of it). */
    public List<UnfinishedUpload> unfinishedUploads(String database, String step) {
        String folder = ArtifactLayout.databaseFolder(settings.prefix(), database);
        try {
            return client.listMultipartUploadsPaginator(r -> r.bucket(settings.bucket()).prefix(folder)).uploads().stream()
                    .map(u -> new UnfinishedUpload(u.key(), u.uploadId(), u.initiated())).toList();
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not list the unfinished uploads under s3://" + settings.bucket() + "/" + folder, e,
                    settings);
        }
    }

    public void abortUpload(UnfinishedUpload upload, String step) {
        try {
            client.abortMultipartUpload(r -> r.bucket(settings.bucket()).key(upload.key()).uploadId(upload.uploadId()));
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not abort the upload " + upload.uploadId() + " of s3://" + settings.bucket()
                    + "/" + upload.key(), e, settings);
        }
    }

    /** Aborts the unfinished uploads of one run's artifact folders (what a dead attempt of it left); returns how many. */
    public int abortUnfinishedUploads(String database, String runId, String step) {
        int aborted = 0;
        for (UnfinishedUpload upload : unfinishedUploads(database, step)) {
            Optional<ArtifactFolder> folder = ArtifactLayout.parse(upload.key());
            if (folder.isPresent() && runId.equals(folder.get().run())) {
                abortUpload(upload, step);
                aborted++;
            }
        }
        return aborted;
    }

    /**
     * Deletes an artifact folder: manifest.json first, so that from the first deletion on the folder is
     * no longer an artifact anyone could import half of; then every other object in it.
     */
    public void deleteFolder(ArtifactFolder folder, String step) {
        try {
            client.deleteObject(r -> r.bucket(settings.bucket()).key(folder.manifestKey()));
            List<software.amazon.awssdk.services.s3.model.ObjectIdentifier> rest = new ArrayList<>();
            for (S3Object object : client.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(folder.path())).contents()) {
                rest.add(software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(object.key()).build());
            }
            for (int from = 0; from < rest.size(); from += 1000) {
                List<software.amazon.awssdk.services.s3.model.ObjectIdentifier> batch = rest.subList(from, Math.min(rest.size(), from + 1000));
                var response = client.deleteObjects(r -> r.bucket(settings.bucket()).delete(d -> d.objects(batch).quiet(true)));
                if (response.hasErrors() && !response.errors().isEmpty()) {
                    var first = response.errors().get(0);
                    throw new FerryException(ErrorCode.STORAGE, step, "Could not delete every object of " + uri(folder),
                            response.errors().size() + " deletion(s) refused, the first " + first.key() + ": " + first.code() + " "
                                    + first.message(), "Check the storage account may delete objects, then prune again");
                }
            }
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not delete " + uri(folder), e, settings);
        }
    }

    /** Whether the folder holds its manifest.json now. */
    public boolean hasManifest(ArtifactFolder folder, String step) {
        try {
            client.headObject(r -> r.bucket(settings.bucket()).key(folder.manifestKey()));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw StorageFailures.of(step, "Could not look for " + uri(folder) + ArtifactLayout.MANIFEST_NAME, e, settings);
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not look for " + uri(folder) + ArtifactLayout.MANIFEST_NAME, e, settings);
        }
    }

    /** {@code s3://bucket/folder/}. */
    public String uri(ArtifactFolder folder) {
        return "s3://" + settings.bucket() + "/" + folder.path();
    }

    private boolean folderIsEmpty(ArtifactFolder folder, String step) {
        try {
            return client.listObjectsV2(request -> request.bucket(settings.bucket()).prefix(folder.path()).maxKeys(1))
                    .contents().isEmpty();
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not list " + uri(folder), e);
        }
    }

    /** The artifact folder directly below the database folder that a key sits in. */
    private static String folderOf(String key, String databaseFolder) {
        String rest = key.substring(databaseFolder.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? key : databaseFolder + rest.substring(0, slash + 1);
    }
}
