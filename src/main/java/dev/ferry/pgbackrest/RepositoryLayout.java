package dev.ferry.pgbackrest;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.storage.StorageFailures;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a repository's objects lie in the bucket: {@code <repoPath>/backup/<stanza>/<label>/} and
 * {@code <repoPath>/archive/<stanza>/}. Ferry's rule: exactly one stanza, {@code db}, under the path,
 * because the charm restores the first stanza it finds there. A path holding another stanza is
 * refused, never cleaned: it may be somebody's only backups.
 */
public final class RepositoryLayout {

    private RepositoryLayout() {
    }

    /** The key prefix of the repository in the bucket: {@code /a/b} → {@code a/b/}; {@code /} → empty. */
    public static String keyPrefix(String repoPath) {
        String path = repoPath.startsWith("/") ? repoPath.substring(1) : repoPath;
        return path.isEmpty() ? "" : path + "/";
    }

    /** {@code <repoPath>/backup/db/<label>}, as Everest's importer takes it. */
    public static String backupPath(String repoPath, String label) {
        return ("/".equals(repoPath) ? "" : repoPath) + "/backup/" + PgBackRestOptions.STANZA + "/" + label;
    }

    public static String uri(String bucket, String repoPath) {
        return "s3://" + bucket + repoPath;
    }

    /** The stanzas found under the path (in backup/ or archive/). */
    public static Set<String> stanzas(S3Client client, String bucket, String repoPath, String step) {
        Set<String> stanzas = new TreeSet<>();
        for (String kind : List.of("backup/", "archive/")) {
            String prefix = keyPrefix(repoPath) + kind;
            try {
                client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix).delimiter("/"))
                        .commonPrefixes().stream().map(CommonPrefix::prefix)
                        .map(p -> p.substring(prefix.length(), p.length() - 1))
                        .forEach(stanzas::add);
            } catch (SdkException e) {
                throw StorageFailures.of(step, "Could not list s3://" + bucket + "/" + prefix, e);
            }
        }
        return stanzas;
    }

    /** Fails when the path holds any stanza but {@code db}. */
    public static void requireOnlyOurStanza(S3Client client, String bucket, String repoPath, String step) {
        List<String> others = new ArrayList<>(stanzas(client, bucket, repoPath, step));
        others.remove(PgBackRestOptions.STANZA);
        if (!others.isEmpty()) {
            throw new FerryException(ErrorCode.REPOSITORY, step, "The repository path " + uri(bucket, repoPath)
                    + " already holds another stanza: " + others,
                    "Charmed PostgreSQL restores the first stanza under the path, and Everest's importer expects stanza db alone;"
                            + " Ferry never deletes backups it did not make",
                    "Point pgbackrest.repoPath (or storage.prefix) at an unused path, or remove those stanzas yourself");
        }
    }
}
