package dev.ferry.backup;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;
import dev.ferry.spec.Setting;
import dev.ferry.storage.ArtifactStore;
import dev.ferry.storage.StorageFailures;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a hosting add-on keeps one environment's (or database's) dumps, {@code backup.addonDumps}: a
 * folder in the migration's bucket ({@code s3://<storage.bucket>/<path>/}) or on this machine (an
 * absolute path). The dumps are the files directly in it named as {@link AddonDumpName} reads them,
 * gzip'd plain SQL from {@code pg_dumpall} or {@code mariadb-dump --all-databases}.
 */
public final class AddonDumps {

    public static final String SETTING = "backup.addonDumps";
    public static final Setting FOLDER = Setting.text(SETTING, "",
            "the folder of a hosting add-on's gzip'd SQL dumps: s3://<storage.bucket>/<folder>/ or an absolute local path");

    /** One dump: its file name (its id), time, stored bytes and where it is. */
    record Dump(String name, Instant time, long bytes, String uri) {
    }

    private final String s3Folder;
    private final Path localFolder;

    private AddonDumps(String s3Folder, Path localFolder) {
        this.s3Folder = s3Folder;
        this.localFolder = localFolder;
    }

    /**
     * The setting's folder, checked before anything connects (a bad value is exit 2); empty when the
     * setting is blank.
     */
    public static Optional<AddonDumps> of(Settings settings, String step) {
        String value = settings.find(SETTING).map(String::trim).orElse("");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.startsWith("s3://")) {
            String bucket = settings.require("storage.bucket", step);
            String inBucket = "s3://" + bucket + "/";
            String path = value.startsWith(inBucket) ? value.substring(inBucket.length()).replaceAll("^/+|/+$", "") : null;
            if (path == null || path.isEmpty()) {
                throw bad(value, "an S3 folder must be in the migration's bucket, " + inBucket + "<folder>/", step);
            }
            return Optional.of(new AddonDumps(path + "/", null));
        }
        Path folder = Path.of(value);
        if (!folder.isAbsolute()) {
            throw bad(value, "it is neither s3://" + settings.find("storage.bucket").orElse("<bucket>") + "/<folder>/ nor an absolute path", step);
        }
        if (!Files.isDirectory(folder)) {
            throw bad(value, "no such folder on this machine", step);
        }
        return Optional.of(new AddonDumps(null, folder));
    }

    private static FerryException bad(String value, String why, String step) {
        return new FerryException(ErrorCode.BAD_INPUT, step, SETTING + " is '" + value + "', which Ferry cannot read the add-on's dumps from",
                why, "Set " + SETTING + " to the folder of the add-on's dumps: s3://<storage.bucket>/<folder>/ or an absolute local path");
    }

    /** The dumps in the folder, any order; files whose names are not a dump's are left out. */
    List<Dump> list(ArtifactStore store, String step) {
        List<Dump> dumps = new ArrayList<>();
        if (localFolder != null) {
            try (Stream<Path> files = Files.list(localFolder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    AddonDumpName.time(name).ifPresent(time -> dumps.add(new Dump(name, time, size(file), file.toUri().toString())));
                }
            } catch (IOException e) {
                throw new FerryException(ErrorCode.STORAGE, step, "Could not list the add-on's dumps in " + localFolder,
                        e.getMessage(), "Check that this user may read " + localFolder);
            }
            return dumps;
        }
        try {
            for (S3Object object : store.client().listObjectsV2Paginator(r -> r.bucket(store.settings().bucket())
                    .prefix(s3Folder).delimiter("/")).contents()) {
                String name = object.key().substring(s3Folder.length());
                AddonDumpName.time(name).ifPresent(time -> dumps.add(new Dump(name, time, object.size(),
                        "s3://" + store.settings().bucket() + "/" + object.key())));
            }
        } catch (SdkException e) {
            throw StorageFailures.of(step, "Could not list the add-on's dumps in s3://" + store.settings().bucket() + "/" + s3Folder, e);
        }
        return dumps;
    }

    /**
     * What the dump's head comments say; reads only that head (an S3 read is aborted there, not
     * drained). A file that is not gzip, or whose gzip ends before the head does, fails with the IOException.
     */
    AddonDumpHeader header(ArtifactStore store, Dump dump, String step) throws IOException {
        InputStream in = open(store, dump.name(), step);
        try {
            return AddonDumpHeader.read(in);
        } finally {
            if (in instanceof ResponseInputStream<?> response) {
                response.abort();
            }
            in.close();
        }
    }

    /** The gzip'd bytes of the dump named {@code name}, as stored, streamed. */
    InputStream open(ArtifactStore store, String name, String step) throws IOException {
        if (localFolder != null) {
            return Files.newInputStream(localFolder.resolve(name));
        }
        return store.openObject(s3Folder + name, step);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
