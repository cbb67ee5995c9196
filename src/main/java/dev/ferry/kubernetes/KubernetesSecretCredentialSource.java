package dev.ferry.kubernetes;

import java.util.List;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.credentials.CredentialSource;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeSet;

/**
 * Credentials from a Kubernetes Secret ({@code <side>.credentials: kubernetes-secret}). Settings under
 * {@code <side>.secret.}: {@code name} (or {@code cluster} with a preset: Everest's
 * {@code everest-secrets-<cluster>}), {@code namespace} (default {@code default}), {@code preset}
 * ({@code everest-postgresql}, {@code everest-pxc}, {@code everest-psmdb}) or the keys {@code userKey} /
 * {@code user}, {@code passwordKey}, and optionally {@code hostKey}, {@code portKey}, {@code databaseKey};
 * {@code kubeconfig} and {@code context} (default: kubectl's lookup, then the in-cluster account).
 */
public final class KubernetesSecretCredentialSource implements CredentialSource {

    private static final List<Setting> SETTINGS = List.of(
            Setting.text("<side>.secret.name", null, "the Secret holding the side's credentials"),
            Setting.text("<side>.secret.namespace", null, "the Secret's namespace; default the kubeconfig context's"),
            Setting.text("<side>.secret.preset", null, "a known layout of keys (for example everest)"),
            Setting.text("<side>.secret.cluster", null, "the Everest cluster whose user Secret to read (with preset everest)"),
            Setting.text("<side>.secret.kubeconfig", null, "the kubeconfig file; default the client's"),
            Setting.text("<side>.secret.context", null, "the kubeconfig context; default its current one"),
            Setting.text("<side>.secret.user", null, "the user, when the Secret holds none"),
            Setting.text("<side>.secret.userKey", null, "the key of the user"),
            Setting.text("<side>.secret.passwordKey", null, "the key of the password"),
            Setting.text("<side>.secret.hostKey", null, "the key of the host"),
            Setting.text("<side>.secret.portKey", null, "the key of the port"),
            Setting.text("<side>.secret.databaseKey", null, "the key of the database"));

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    @Override
    public String name() {
        return "kubernetes-secret";
    }

    @Override
    public java.util.Set<String> provides(String side, Settings settings) {
        Map<String, String> secret = settings.withPrefix(side + ".secret.");
        java.util.Set<String> provided = new java.util.HashSet<>();
        if (secret.containsKey("preset") || secret.containsKey("userKey") || secret.containsKey("user")) {
            provided.add("user");
        }
        Map.of("hostKey", "host", "portKey", "port", "databaseKey", "database").forEach((key, setting) -> {
            if (secret.containsKey(key)) {
                provided.add(setting);
            }
        });
        return provided;
    }

    @Override
    public CollectedCredentials collect(String side, Settings raw, Settings resolved, String step) {
        Map<String, String> settings = resolved.withPrefix(side + ".secret.");
        SecretPreset preset = settings.containsKey("preset") ? SecretPreset.named(settings.get("preset"), step) : null;
        String namespace = settings.getOrDefault("namespace", "default");
        String name = settings.get("name");
        if (name == null && preset != null && settings.containsKey("cluster")) {
            name = SecretPreset.everestSecretName(settings.get("cluster"));
        }
        if (name == null) {
            throw new FerryException(ErrorCode.MISSING_INPUT, step, "No Secret named for the " + side,
                    side + ".secret.name is not set (nor " + side + ".secret.cluster with a preset)",
                    "Set " + side + ".secret.name, or " + side + ".secret.preset and " + side + ".secret.cluster");
        }
        String userKey = settings.getOrDefault("userKey", preset == null ? null : preset.userKey);
        String user = settings.getOrDefault("user", preset == null ? null : preset.user);
        String passwordKey = settings.getOrDefault("passwordKey", preset == null ? "password" : preset.passwordKey);
        Map<String, String> data = read(settings, namespace, name, side, step);
        String where = "kubernetes-secret:" + namespace + "/" + name;
        Secret password = Secret.of(value(data, passwordKey, where, step), where + "#" + passwordKey);
        if (userKey != null) {
            user = value(data, userKey, where, step);
        }
        if (user == null) {
            user = resolved.require(side + ".user", step);
        }
        String host = optional(data, settings.get("hostKey"));
        String port = optional(data, settings.get("portKey"));
        String database = optional(data, settings.get("databaseKey"));
        return new CollectedCredentials(user, password, host, port == null ? null : Integer.valueOf(port.trim()), database);
    }

    private static Map<String, String> read(Map<String, String> settings, String namespace, String name, String side, String step) {
        try (KubernetesClient client = KubernetesClients.create(settings.get("kubeconfig"), settings.get("context"), step)) {
            io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                throw new FerryException(ErrorCode.CREDENTIALS, step, "Secret " + namespace + "/" + name + " does not exist",
                        "the cluster at " + client.getMasterUrl() + " has no such Secret",
                        "Check " + side + ".secret.name and " + side + ".secret.namespace (and the kubeconfig context)");
            }
            Map<String, String> decoded = new java.util.HashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                decoded.putAll(secret.getStringData());
            }
            return decoded;
        } catch (KubernetesClientException e) {
            throw new FerryException(e.getCode() == 401 || e.getCode() == 403 ? ErrorCode.CREDENTIALS : ErrorCode.CONNECTION, step,
                    "Cannot read Secret " + namespace + "/" + name, e.getMessage(),
                    e.getCode() == 403 ? "Grant the account 'get' on secrets in namespace " + namespace
                            : "Check the kubeconfig (or the in-cluster account) and that the API server answers");
        }
    }

    private static String value(Map<String, String> data, String key, String where, String step) {
        String value = data.get(key);
        if (value == null) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, where + " has no key '" + key + "'",
                    "its keys are " + new TreeSet<>(data.keySet()), "Name the right key with userKey / passwordKey, or pick a preset");
        }
        return value;
    }

    private static String optional(Map<String, String> data, String key) {
        return key == null ? null : data.get(key);
    }
}
