package dev.ferry.cutover;

import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.kubernetes.KubernetesClients;
import dev.ferry.runtime.Settings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the target's host, port and database (and, with {@code urlKey}, a URL made from
 * {@code urlTemplate}) into keys of an existing Secret or ConfigMap the application reads; the
 * password is never written (the application keeps its own). A key set to {@code -} is left alone.
 */
final class KubernetesSwitch implements SwitchTarget {

    static final Setting KIND = Setting.choice("switch.kubernetes.kind", "Secret", "the kind of object the application reads", "Secret", "ConfigMap");
    static final Setting NAMESPACE = Setting.text("switch.kubernetes.namespace", "default", "the object's namespace");
    static final Setting NAME = Setting.text("switch.kubernetes.name", null, "the Secret or ConfigMap the application reads its database from");
    static final Setting KUBECONFIG = Setting.text("switch.kubernetes.kubeconfig", null, "the kubeconfig file; default the client's");
    static final Setting CONTEXT = Setting.text("switch.kubernetes.context", null, "the kubeconfig context; default its current one");
    static final Setting HOST_KEY = Setting.text("switch.kubernetes.hostKey", "host", "the key the host goes to ('-': none)");
    static final Setting PORT_KEY = Setting.text("switch.kubernetes.portKey", "port", "the key the port goes to ('-': none)");
    static final Setting DATABASE_KEY = Setting.text("switch.kubernetes.databaseKey", "database", "the key the database name goes to ('-': none)");
    static final Setting URL_KEY = Setting.text("switch.kubernetes.urlKey", null, "a key that gets a URL made from urlTemplate");
    static final Setting URL_TEMPLATE = Setting.text("switch.kubernetes.urlTemplate", null,
            "the URL, for example jdbc:postgresql://{host}:{port}/{database}");

    static final java.util.List<Setting> SETTINGS = java.util.List.of(KIND, NAMESPACE, NAME, KUBECONFIG, CONTEXT, HOST_KEY, PORT_KEY,
            DATABASE_KEY, URL_KEY, URL_TEMPLATE);

    private final String kind;
    private final String namespace;
    private final String name;
    private final String kubeconfig;
    private final String context;
    private final Map<String, String> keys;
    private final String urlKey;
    private final String urlTemplate;

    private KubernetesSwitch(String kind, String namespace, String name, String kubeconfig, String context,
                             Map<String, String> keys, String urlKey, String urlTemplate) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.kubeconfig = kubeconfig;
        this.context = context;
        this.keys = keys;
        this.urlKey = urlKey;
        this.urlTemplate = urlTemplate;
    }

    static KubernetesSwitch of(Settings settings, String step) {
        String kind = KIND.text(settings);
        if (!kind.equals("Secret") && !kind.equals("ConfigMap")) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "switch.kubernetes.kind '" + kind + "' is not Secret or ConfigMap",
                    null, "Set switch.kubernetes.kind to Secret or ConfigMap");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("host", HOST_KEY.text(settings));
        keys.put("port", PORT_KEY.text(settings));
        keys.put("database", DATABASE_KEY.text(settings));
        keys.values().removeIf("-"::equals);
        String urlKey = settings.find(URL_KEY.key()).orElse(null);
        String urlTemplate = settings.find(URL_TEMPLATE.key()).orElse(null);
        if ((urlKey == null) != (urlTemplate == null)) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "switch.kubernetes.urlKey and .urlTemplate go together",
                    "only one of them is set", "Set both (for example urlTemplate: jdbc:postgresql://{host}:{port}/{database}), or neither");
        }
        return new KubernetesSwitch(kind, NAMESPACE.text(settings),
                settings.require(NAME.key(), step), settings.find(KUBECONFIG.key()).orElse(null),
                settings.find(CONTEXT.key()).orElse(null), keys, urlKey, urlTemplate);
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    @Override
    public String switchTo(DatabaseEndpoint target, String runId, String step) {
        Map<String, String> values = new LinkedHashMap<>();
        keys.forEach((field, key) -> values.put(key, switch (field) {
            case "host" -> target.host();
            case "port" -> Integer.toString(target.port());
            default -> target.database();
        }));
        if (urlKey != null) {
            values.put(urlKey, urlTemplate.replace("{host}", target.urlHost()).replace("{port}", Integer.toString(target.port()))
                    .replace("{database}", target.database()));
        }
        String where = kind + " " + namespace + "/" + name;
        try (KubernetesClient client = KubernetesClients.create(kubeconfig, context, step)) {
            Map<String, String> before = kind.equals("Secret") ? updateSecret(client, values, where, runId, step)
                    : updateConfigMap(client, values, where, runId, step);
            List<String> changes = new ArrayList<>();
            values.forEach((key, value) -> changes.add(key + ": " + (before.get(key) == null ? "(unset)" : before.get(key))
                    + " -> " + value));
            return where + " " + String.join(", ", changes);
        } catch (KubernetesClientException e) {
            throw new FerryException(ErrorCode.SWITCH_FAILED, step, "Could not update " + where, e.getMessage(),
                    "Check that the Kubernetes API answers and that Ferry's account may get and patch it"
                            + " (kubectl auth can-i patch " + kind.toLowerCase() + "s -n " + namespace + ")", e);
        }
    }

    private Map<String, String> updateSecret(KubernetesClient client, Map<String, String> values, String where, String runId,
                                             String step) {
        Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
        if (existing == null) {
            throw missing(where, step);
        }
        Map<String, String> before = new HashMap<>();
        Map<String, String> data = existing.getData() == null ? new HashMap<>() : new HashMap<>(existing.getData());
        values.forEach((key, value) -> {
            String old = data.get(key);
            before.put(key, old == null ? null : new String(Base64.getDecoder().decode(old), StandardCharsets.UTF_8));
            data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        });
        client.secrets().inNamespace(namespace).withName(name).edit(secret -> {
            secret.setData(data);
            annotate(secret.getMetadata(), runId);
            return secret;
        });
        return before;
    }

    private Map<String, String> updateConfigMap(KubernetesClient client, Map<String, String> values, String where, String runId,
                                                String step) {
        ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name).get();
        if (existing == null) {
            throw missing(where, step);
        }
        Map<String, String> before = new HashMap<>();
        Map<String, String> data = existing.getData() == null ? new HashMap<>() : new HashMap<>(existing.getData());
        values.forEach((key, value) -> before.put(key, data.put(key, value)));
        client.configMaps().inNamespace(namespace).withName(name).edit(map -> {
            map.setData(data);
            annotate(map.getMetadata(), runId);
            return map;
        });
        return before;
    }

    private static void annotate(io.fabric8.kubernetes.api.model.ObjectMeta metadata, String runId) {
        Map<String, String> annotations = metadata.getAnnotations() == null ? new HashMap<>() : new HashMap<>(metadata.getAnnotations());
        annotations.put("ferry.dev/switched-by", runId);
        metadata.setAnnotations(annotations);
    }

    private FerryException missing(String where, String step) {
        return new FerryException(ErrorCode.SWITCH_FAILED, step, where + " does not exist",
                "the switch updates the configuration the application already reads; it creates none",
                "Check switch.kubernetes.namespace and .name (kubectl get " + kind.toLowerCase() + " -n " + namespace + ")");
    }
}
