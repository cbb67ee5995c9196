package dev.ferry.everest.api;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.kubernetes.KubernetesClients;
import dev.ferry.runtime.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everest over the Kubernetes API with the fabric8 client (kubeconfig, context, or the in-cluster
 * account). Resources are {@link GenericKubernetesResource}s; nothing goes through camel-kubernetes,
 * which drops metadata and only logs a 409 or 404.
 */
public final class KubernetesEverestApi implements EverestApi {

    private final KubernetesClient client;
    private final String step;

    public KubernetesEverestApi(KubernetesClient client, String step) {
        this.client = client;
        this.step = step;
    }

    public static KubernetesEverestApi connect(String kubeconfig, String context, String step) {
        return new KubernetesEverestApi(KubernetesClients.create(kubeconfig, context, step), step);
    }

    @Override
    public Optional<Map<String, Object>> dataImporter(String name) {
        return call("read DataImporter " + name, () -> document(client.genericKubernetesResources(EverestResources.DATA_IMPORTER)
                .withName(name).get()));
    }

    @Override
    public List<Map<String, Object>> databaseEngines(String namespace) {
        return call("list DatabaseEngines in " + namespace, () -> client.genericKubernetesResources(EverestResources.DATABASE_ENGINE)
                .inNamespace(namespace).list().getItems().stream().map(KubernetesEverestApi::document).map(Optional::get).toList());
    }

    @Override
    public Optional<Map<String, Object>> databaseCluster(String namespace, String name) {
        return call("read DatabaseCluster " + namespace + "/" + name, () -> document(client.genericKubernetesResources(
                EverestResources.DATABASE_CLUSTER).inNamespace(namespace).withName(name).get()));
    }

    @Override
    public boolean createSecretIfAbsent(String namespace, String cluster, String name, Map<String, String> data) {
        return call("create Secret " + namespace + "/" + name, () -> {
            if (client.secrets().inNamespace(namespace).withName(name).get() != null) {
                return false;
            }
            client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                    .addToLabels("app.kubernetes.io/managed-by", "ferry").endMetadata().withType("Opaque")
                    .withStringData(data).build()).create();
            return true;
        });
    }

    @Override
    public void createDatabaseCluster(String namespace, Map<String, Object> cluster) {
        GenericKubernetesResource resource = Json.MAPPER.convertValue(cluster, GenericKubernetesResource.class);
        call("create DatabaseCluster " + namespace + "/" + resource.getMetadata().getName(), () -> client.genericKubernetesResources(
                EverestResources.DATABASE_CLUSTER).inNamespace(namespace).resource(resource).create());
    }

    @Override
    public Optional<Map<String, Object>> dataImportJob(String namespace, String cluster) {
        return call("read DataImportJob of " + cluster, () -> {
            Optional<Map<String, Object>> byName = document(client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB)
                    .inNamespace(namespace).withName(EverestResources.dataImportJobName(cluster)).get());
            if (byName.isPresent()) {
                return byName;
            }
            return client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(namespace)
                    .withLabel("clusterName", cluster).list().getItems().stream().findFirst().flatMap(KubernetesEverestApi::document);
        });
    }

    @Override
    public Credentials credentials(String namespace, String cluster, String engineType, String userSecret) {
        return call("read Secret " + namespace + "/" + userSecret, () -> {
            io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(namespace).withName(userSecret).get();
            if (secret == null) {
                throw new FerryException(ErrorCode.CREDENTIALS, step, "The user Secret " + namespace + "/" + userSecret + " does not exist",
                        "the cluster is ready but its admin credentials cannot be read", "Check the cluster's spec.engine.userSecretsName");
            }
            Map<String, String> data = new HashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                data.putAll(secret.getStringData());
            }
            EngineKeys keys = EngineKeys.of(engineType, step);
            String password = data.get(keys.passwordKey());
            if (password == null) {
                throw new FerryException(ErrorCode.CREDENTIALS, step, "The user Secret " + namespace + "/" + userSecret + " has no key '"
                        + keys.passwordKey() + "'", "its keys are " + new java.util.TreeSet<>(data.keySet()),
                        "Check that the cluster is a " + engineType + " cluster");
            }
            return new Credentials(keys.user(), Secret.of(password, "kubernetes-secret:" + namespace + "/" + userSecret + "#"
                    + keys.passwordKey()));
        });
    }

    @Override
    public String importerLog(String namespace, String jobName, int lines) {
        try {
            List<Pod> pods = client.pods().inNamespace(namespace).withLabel("job-name", jobName).list().getItems();
            if (pods.isEmpty()) {
                return "(no pod of job " + jobName + " left to read the log from)";
            }
            Pod pod = pods.get(pods.size() - 1);
            return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).inContainer("importer")
                    .tailingLines(lines).getLog();
        } catch (KubernetesClientException e) {
            return "(cannot read the importer's log: HTTP " + e.getCode() + " " + e.getMessage() + ")";
        }
    }

    @Override
    public String describe() {
        return "Kubernetes API at " + client.getMasterUrl();
    }

    @Override
    public void close() {
        client.close();
    }

    private static Optional<Map<String, Object>> document(GenericKubernetesResource resource) {
        if (resource == null) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(resource, Map.class);
        return Optional.of(map);
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            throw new FerryException(e.getCode() == 401 || e.getCode() == 403 ? ErrorCode.CREDENTIALS : ErrorCode.CONNECTION, step,
                    "Cannot " + what + " through the Kubernetes API", "HTTP " + e.getCode() + ": " + e.getMessage(),
                    e.getCode() == 403 ? "Grant the account the Everest permissions it needs (see README, Everest)"
                            : "Check the kubeconfig (everest.kubeconfig, everest.context) and that the API server answers");
        }
    }

    private void call(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }
}
