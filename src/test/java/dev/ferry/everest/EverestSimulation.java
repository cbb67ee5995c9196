package dev.ferry.everest;

import dev.ferry.everest.api.EverestResources;
import dev.ferry.everest.api.EverestDocuments;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.runtime.Json;
import dev.ferry.testing.FerryProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everest's documented import behaviour, played on the fabric8 mock API server: a DatabaseCluster
 * with {@code spec.dataSource.dataImport} goes {@code initializing}, then {@code ready}; Everest then
 * makes the DataImportJob {@code data-import-<db>} (label clusterName, {@code status.jobName}
 * {@code <dij>-<6 hex>}) and the payload Secret {@code <jobName>-data-import-request} holding
 * request.json exactly as documented, the cluster goes {@code importing}, the importer (the REAL
 * {@code ferry importer}, as a child process) runs, and the job ends Succeeded (cluster ready) or
 * Failed (cluster error, condition ImportFailed). The importer's output is kept as its pod's log.
 * A cluster whose importer is Everest's built-in {@code everest-percona-pg-operator} is imported by
 * {@link #builtInPostgresql} instead, which restores the pgBackRest backup and starts the server
 * that then plays the cluster (its host and port become the cluster's status).
 */
final class EverestSimulation implements AutoCloseable {

    static final String NAMESPACE = "everest";

    private final KubernetesClient client;
    private final Path folder;
    private final Path kubeconfig;
    private final Map<String, LocalDatabaseServer> servers = new ConcurrentHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private final Map<String, String> logs = new ConcurrentHashMap<>();
    final List<String> requests = new ArrayList<>();
    /** Called with the importer pod's name and its output, before the job's end is published: serves the pod's log. */
    volatile java.util.function.BiConsumer<String, String> onLog = (pod, log) -> { };
    /** Plays the built-in {@code everest-percona-pg-operator}; null: clusters naming it stay initializing. */
    volatile BuiltInImporter builtInPostgresql;

    static final String BUILT_IN_POSTGRESQL = "everest-percona-pg-operator";

    /** An importer that provisions the server itself: restores from request.json and returns the running server. */
    interface BuiltInImporter {
        LocalDatabaseServer restore(Path request, StringBuilder log) throws Exception;
    }
    private final Thread thread;
    private volatile boolean running = true;

    EverestSimulation(KubernetesClient client, Path folder, Path kubeconfig) {
        this.client = client;
        this.folder = folder;
        this.kubeconfig = kubeconfig;
        this.thread = new Thread(this::loop, "everest-simulation");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The server that plays the cluster of this name once Everest has "provisioned" it. */
    void serve(String cluster, LocalDatabaseServer server) {
        servers.put(cluster, server);
    }

    void pause(String cluster) {
        paused.add(cluster);
    }

    void resume(String cluster) {
        paused.remove(cluster);
    }

    String importerLog(String jobName) {
        return logs.get(jobName);
    }

    private void loop() {
        while (running) {
            try {
                for (GenericKubernetesResource cluster : client.genericKubernetesResources(EverestResources.DATABASE_CLUSTER)
                        .inNamespace(NAMESPACE).list().getItems()) {
                    step(cluster);
                }
                Thread.sleep(150);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void step(GenericKubernetesResource cluster) throws InterruptedException {
        String name = cluster.getMetadata().getName();
        if (paused.contains(name) || !servers.containsKey(name) && (builtInPostgresql == null || !builtIn(cluster))) {
            return;
        }
        Object status = cluster.getAdditionalProperties().get("status");
        String state = status instanceof Map<?, ?> m ? String.valueOf(m.get("status")) : null;
        if (state == null) {
            setStatus(cluster, Map.of("status", "initializing"));
        } else if ("initializing".equals(state)) {
            runImport(cluster);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean builtIn(GenericKubernetesResource cluster) {
        Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
        return BUILT_IN_POSTGRESQL.equals(EverestDocuments.text(spec, "dataSource", "dataImport", "dataImporterName"));
    }

    @SuppressWarnings("unchecked")
    private void runImport(GenericKubernetesResource cluster) throws InterruptedException {
        String name = cluster.getMetadata().getName();
        LocalDatabaseServer server = servers.get(name);
        Map<String, Object> spec = (Map<String, Object>) cluster.getAdditionalProperties().get("spec");
        Map<String, Object> dataImport = EverestDocuments.map(spec, "dataSource", "dataImport");
        String dijName = EverestResources.dataImportJobName(name);
        String jobName = dijName + "-3f2a9c";
        Map<String, Object> jobSpec = new HashMap<>(dataImport);
        jobSpec.put("targetClusterName", name);
        GenericKubernetesResource job = new GenericKubernetesResource();
        job.setApiVersion(EverestResources.API_VERSION);
        job.setKind("DataImportJob");
        job.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(dijName).withNamespace(NAMESPACE)
                .addToLabels("clusterName", name).build());
        job.setAdditionalProperty("spec", jobSpec);
        job.setAdditionalProperty("status", Map.of("state", "Running", "jobName", jobName));
        client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(NAMESPACE).resource(job).create();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(jobName + "-x7k2p")
                .addToLabels("job-name", jobName).endMetadata().build()).create();

        // request.json as Everest writes it: omitempty everywhere, port as a string, user field "user"
        Map<String, Object> s3 = EverestDocuments.map(dataImport, "source", "s3");
        Map<String, String> s3Keys = secret(String.valueOf(s3.get("credentialsSecretName")));
        Map<String, String> user = secret(String.valueOf(EverestDocuments.at(spec, "engine", "userSecretsName")));
        String type = String.valueOf(EverestDocuments.at(spec, "engine", "type"));
        ObjectNode request = Json.MAPPER.createObjectNode();
        ObjectNode source = request.putObject("source");
        source.put("path", String.valueOf(EverestDocuments.at(dataImport, "source", "path")));
        ObjectNode requestS3 = source.putObject("s3");
        requestS3.put("bucket", String.valueOf(s3.get("bucket")));
        requestS3.put("region", String.valueOf(s3.get("region")));
        requestS3.put("endpointURL", String.valueOf(s3.get("endpointURL")));
        if (Boolean.TRUE.equals(s3.get("verifyTLS"))) {
            requestS3.put("verifyTLS", true);
        }
        if (Boolean.TRUE.equals(s3.get("forcePathStyle"))) {
            requestS3.put("forcePathStyle", true);
        }
        requestS3.put("accessKeyID", s3Keys.get("AWS_ACCESS_KEY_ID"));
        requestS3.put("secretKey", s3Keys.get("AWS_SECRET_ACCESS_KEY"));
        ObjectNode target = request.putObject("target");
        target.putObject("databaseClusterRef").put("name", name).put("namespace", NAMESPACE);
        target.put("type", type);
        // a built-in provisions its own server: the request names the cluster's service, as Everest's would
        target.put("host", server == null ? name + "-primary." + NAMESPACE + ".svc" : server.host());
        target.put("port", server == null ? "5432" : Integer.toString(server.port()));
        target.put("user", "postgresql".equals(type) ? "postgres" : "root");
        target.put("password", user.get("postgresql".equals(type) ? "password" : "root"));
        Object config = dataImport.get("config");
        if (config instanceof Map<?, ?> c && !c.isEmpty()) {
            request.set("config", Json.MAPPER.valueToTree(config));
        }
        String requestJson = request.toString();
        synchronized (requests) {
            requests.add(requestJson);
        }
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(jobName + "-data-import-request")
                .endMetadata().addToStringData("request.json", requestJson).build()).create();
        setStatus(cluster, Map.of("status", "importing"));

        Path payload = folder.resolve("payload-" + name);
        int exitCode;
        String output;
        try {
            Files.createDirectories(payload);
            Path file = payload.resolve("request.json");
            Files.writeString(file, requestJson);
            if (builtIn(cluster)) {
                StringBuilder log = new StringBuilder();
                try {
                    server = builtInPostgresql.restore(file, log);
                    exitCode = 0;
                } catch (Exception e) {
                    log.append("restore failed: ").append(e.getMessage()).append('\n');
                    exitCode = 1;
                }
                output = log.toString();
            } else {
                FerryProcess.Result result = FerryProcess.run(payload, Map.of("KUBECONFIG", kubeconfig.toString(), "HOSTNAME",
                        jobName + "-x7k2p"), List.of("importer", file.toString()));
                exitCode = result.exitCode();
                output = result.output();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        logs.put(jobName, output);
        onLog.accept(jobName + "-x7k2p", output);
        GenericKubernetesResource current = client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(NAMESPACE)
                .withName(dijName).get();
        if (exitCode == 0) {
            current.setAdditionalProperty("status", Map.of("state", "Succeeded", "jobName", jobName));
            client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(NAMESPACE).resource(current).update();
            client.secrets().inNamespace(NAMESPACE).withName(jobName + "-data-import-request").delete();
            setStatus(latest(name), Map.of("status", "ready", "hostname", server.host(), "port", server.port(),
                    "dataImportJobName", dijName));
        } else {
            // the cluster's error first: a poll between the two updates then still sees the cluster's message
            setStatus(latest(name), Map.of("status", "error", "message", "Data import job failed", "dataImportJobName", dijName,
                    "conditions", List.of(Map.of("type", "ImportFailed", "reason", "DataImportJobFailed", "status", "True"))));
            current.setAdditionalProperty("status", Map.of("state", "Failed", "jobName", jobName,
                    "message", "Job has reached the specified backoff limit"));
            client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(NAMESPACE).resource(current).update();
        }
    }

    private GenericKubernetesResource latest(String name) {
        return client.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(NAMESPACE).withName(name).get();
    }

    private Map<String, String> secret(String name) {
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    private void setStatus(GenericKubernetesResource cluster, Map<String, Object> status) {
        cluster.setAdditionalProperty("status", status);
        client.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(NAMESPACE).resource(cluster).update();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
