package dev.ferry.everest.api;

import dev.ferry.credentials.Secret;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code ferry:everest-import} step asks of Everest, over one of two transports: the
 * Kubernetes API ({@link KubernetesEverestApi}) or Everest's REST API ({@link RestEverestApi}).
 * Resources are plain maps in their Kubernetes shape ({@code spec}, {@code status}).
 */
public interface EverestApi extends AutoCloseable {

    /** The DataImporter (cluster-scoped), if it exists. */
    Optional<Map<String, Object>> dataImporter(String name);

    /** The DatabaseEngines of a namespace (spec.type, status.availableVersions.engine). */
    List<Map<String, Object>> databaseEngines(String namespace);

    Optional<Map<String, Object>> databaseCluster(String namespace, String name);

    /** Creates a Secret unless one of that name exists; returns whether it created it. */
    boolean createSecretIfAbsent(String namespace, String cluster, String name, Map<String, String> data);

    /** Creates the DatabaseCluster (a 409 is an error: the caller adopts existing clusters before). */
    void createDatabaseCluster(String namespace, Map<String, Object> cluster);

    /** The cluster's DataImportJob, if Everest has made it. */
    Optional<Map<String, Object>> dataImportJob(String namespace, String cluster);

    /** The admin user and password of a cluster, from its user Secret. */
    Credentials credentials(String namespace, String cluster, String engineType, String userSecret);

    /** The last lines of the importer pod's log, or a sentence saying why they cannot be had. */
    String importerLog(String namespace, String jobName, int lines);

    /** Where this talks to, safe to show. */
    String describe();

    @Override
    void close();

    record Credentials(String user, Secret password) {
    }
}
