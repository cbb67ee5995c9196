package dev.ferry.everest;

import dev.ferry.everest.api.EngineKeys;

import dev.ferry.camel.StepExecution;
import dev.ferry.steps.VersionChecks;
import dev.ferry.pgbackrest.PhysicalSteps;

import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CredentialResolver;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.ServerVersionText;
import dev.ferry.engine.VersionPolicy;
import dev.ferry.everest.ConfigSchema;
import dev.ferry.everest.api.EverestDocuments;
import dev.ferry.everest.api.EverestApi;
import dev.ferry.everest.api.EverestResources;
import dev.ferry.everest.api.KubernetesEverestApi;
import dev.ferry.everest.api.RestEverestApi;
import dev.ferry.runtime.Settings;
import dev.ferry.storage.ObjectStoreSettings;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Everest side of {@code ferry:everest-preflight} and {@code ferry:everest-import}: connecting
 * over the chosen transport, and every check Everest itself does not make, before anything is
 * created — the importer exists and supports the engine, its {@code requiredFields} are met, the
 * {@code config} fits its schema (and is sent only when it has one), and the engine version fits the
 * source by the version policy among the DatabaseEngine's available versions.
 */
public final class EverestChecks {

    public static final String DEFAULT_NAMESPACE = "everest";

    public static final Setting TRANSPORT = Setting.choice("everest.transport", "kubernetes",
            "kubernetes: the Kubernetes API; rest: Everest's REST API (with everest.url)", "kubernetes", "rest");
    public static final Setting KUBECONFIG = Setting.text("everest.kubeconfig", null, "the kubeconfig file; default the client's");
    public static final Setting CONTEXT = Setting.text("everest.context", null, "the kubeconfig context; default its current one");
    public static final Setting URL = Setting.text("everest.url", null, "Everest's URL, for everest.transport rest");
    public static final Setting USER = Setting.text("everest.user", "admin", "Everest's user, for everest.transport rest");
    public static final Setting PASSWORD = Setting.secret("everest.password", "Everest's password, for everest.transport rest");
    public static final Setting ENGINE = Setting.text("everest.engine", null, "the Everest engine type; default the one for source.engine");
    public static final Setting ENGINE_VERSION = Setting.text("everest.engineVersion", null,
            "the engine version; default Everest's recommended one within the lowest major that fits the source");
    public static final Setting IMPORTER = Setting.text("everest.importer", null, "the DataImporter; default Ferry's for the engine");
    public static final Setting NAMESPACE = Setting.text("everest.namespace", DEFAULT_NAMESPACE, "the namespace the cluster is created in");
    public static final Setting CLUSTER = Setting.text("everest.cluster", null, "the name of the DatabaseCluster to create");
    public static final Setting CONFIG = Setting.text("everest.config.*", null, "the importer's config fields, by name");
    public static final Setting SPEC_FIELD = Setting.text("everest.spec.*", null, "DatabaseCluster spec fields, by path (everest.spec.proxy.replicas)");
    public static final Setting STORAGE_SIZE = Setting.text("everest.storageSize", "25Gi", "the cluster's storage size");
    public static final Setting STORAGE_CLASS = Setting.text("everest.storageClass", null, "the cluster's storage class; default the cluster's default");
    public static final Setting REPLICAS = Setting.integer("everest.replicas", 1, "the cluster's engine replicas");

    public static final List<Setting> SETTINGS = List.of(TRANSPORT, KUBECONFIG, CONTEXT, URL, USER, PASSWORD, ENGINE, ENGINE_VERSION, IMPORTER,
            NAMESPACE, CLUSTER, CONFIG, SPEC_FIELD, STORAGE_SIZE, STORAGE_CLASS, REPLICAS, VersionChecks.ALLOW_CROSS_FLAVOUR);
    /** The status Everest gives the version it recommends of an engine (others: available, unavailable, unsupported). */
    private static final String RECOMMENDED = "recommended";

    private EverestChecks() {
    }

    /** The run's one Everest connection (closed when the run ends). */
    static EverestApi api(StepExecution execution) {
        return execution.run().shared("everest-api", EverestApi.class, () -> connect(execution));
    }

    private static EverestApi connect(StepExecution execution) {
        Settings settings = execution.settings();
        String step = execution.stepId();
        String transport = TRANSPORT.text(settings);
        return switch (transport) {
            case "kubernetes" -> KubernetesEverestApi.connect(settings.find(KUBECONFIG.key()).orElse(null),
                    settings.find(CONTEXT.key()).orElse(null), step);
            case "rest" -> {
                Secret password = new CredentialResolver(execution.run().rawSettings(), settings).find(PASSWORD.key(), step);
                if (password == null) {
                    throw execution.fail(ErrorCode.MISSING_INPUT, "everest.transport rest needs a password",
                            "none of everest.password, everest.passwordFile, everest.passwordEnv is set",
                            "Set everest.passwordFile (or everest.password: \"{{env:EVEREST_PASSWORD}}\")");
                }
                yield RestEverestApi.login(URI.create(settings.require(URL.key(), step)), USER.text(settings),
                        password, step);
            }
            default -> throw execution.fail(ErrorCode.BAD_INPUT, "Unknown everest.transport '" + transport + "'", null,
                    "Use kubernetes (the Kubernetes API, default) or rest (Everest's REST API, with everest.url)");
        };
    }

    /** The engine type of the new cluster: {@code everest.engine}, else from the source's engine. */
    static String engineType(Settings settings) {
        // a refusal gets the step's name from the step guard
        return settings.find(ENGINE.key()).orElseGet(() -> EngineKeys.engineTypeFor(settings.get("source.engine", "postgresql"), null));
    }

    static String defaultImporter(String engineType) {
        return "postgresql".equals(engineType) ? "ferry-postgresql-logical" : "ferry-mysql-logical";
    }

    /** The DataImporter named by {@code everest.importer}, else Ferry's own for the engine. */
    static String importerName(Settings settings) {
        return settings.get(IMPORTER.key(), defaultImporter(engineType(settings)));
    }

    /**
     * Whether the import's source is a pgBackRest backup rather than a Ferry artifact: decided by the
     * importer alone, because it is the importer that reads the S3 path — Everest's built-in
     * {@value EverestPhysicalSource#BUILT_IN_POSTGRESQL} reads a pgBackRest backup, every other one
     * (Ferry's) an artifact.
     */
    static boolean physical(Settings settings) {
        return EverestPhysicalSource.BUILT_IN_POSTGRESQL.equals(importerName(settings));
    }

    /** A physical backup restores only into the same major version; a logical import follows {@code versionPolicy}. */
    static VersionPolicy policy(StepExecution execution) {
        return physical(execution.settings()) ? PhysicalSteps.identicalPolicy(execution) : VersionChecks.policy(execution);
    }

    /** Checks the importer, the config and the version against what Everest has, and decides the plan. */
    static EverestPlan plan(StepExecution execution, EverestApi api, ServerVersion source) {
        Settings settings = execution.settings();
        String step = execution.stepId();
        String namespace = NAMESPACE.text(settings);
        String cluster = settings.require(CLUSTER.key(), step);
        String engineType = engineType(settings);
        EngineKeys keys = EngineKeys.of(engineType, step);
        String importerName = importerName(settings);

        Map<String, Object> importer = api.dataImporter(importerName).orElseThrow(() -> execution.fail(ErrorCode.EVEREST,
                "DataImporter " + importerName + " does not exist in " + api.describe(),
                "Everest refuses a cluster whose importer is missing",
                "Install it (kubectl apply -f examples/everest/" + importerName + ".yaml) or set everest.importer"));
        List<Object> supported = EverestDocuments.list(importer, "spec", "supportedEngines");
        if (!supported.contains(engineType)) {
            throw execution.fail(ErrorCode.EVEREST, "DataImporter " + importerName + " does not import into " + engineType,
                    "it supports " + supported, "Pick an importer for " + engineType + " (everest.importer)");
        }

        Map<String, Object> config = config(execution, importer, importerName);
        String version = chooseVersion(execution, api, namespace, engineType, keys, source);
        EverestPlan plan = new EverestPlan(TRANSPORT.text(settings), namespace, cluster, importerName,
                engineType, version, config);
        checkRequiredFields(execution, importer, importerName, clusterDocument(execution, plan, "placeholder/", null));
        return plan;
    }

    private static Map<String, Object> config(StepExecution execution, Map<String, Object> importer, String importerName) {
        Settings settings = execution.settings();
        Map<String, Object> schema = EverestDocuments.map(importer, "spec", "config", "openAPIV3Schema");
        Map<String, String> given = settings.withPrefix("everest.config.");
        if (schema == null) {
            if (!given.isEmpty()) {
                throw execution.fail(ErrorCode.BAD_INPUT, "DataImporter " + importerName + " takes no config",
                        "it has no config schema, and Everest refuses a cluster with any config for it (even {}); set: " + given.keySet(),
                        "Remove the everest.config.* settings");
            }
            return null;
        }
        Map<String, Object> config = new TreeMap<>();
        given.forEach((key, value) -> config.put(key, ConfigSchema.convert(schema, key, value)));
        Map<String, Object> properties = EverestDocuments.map(schema, "properties");
        if (properties != null && properties.containsKey("database") && !config.containsKey("database")) {
            settings.find("target.database").ifPresent(database -> config.put("database", database));
        }
        List<String> problems = ConfigSchema.problems(schema, config);
        if (!problems.isEmpty()) {
            throw execution.fail(ErrorCode.BAD_INPUT, "The config for DataImporter " + importerName + " does not fit its schema",
                    String.join("; ", problems), "Fix the everest.config.* settings");
        }
        return config;
    }

    /** The requested version checked, or the lowest fitting major's recommended (else newest) version. */
    private static String chooseVersion(StepExecution execution, EverestApi api, String namespace, String engineType,
                                        EngineKeys keys, ServerVersion source) {
        Map<String, String> available = availableVersions(execution, api, namespace, engineType);
        VersionPolicy policy = policy(execution);
        boolean allowCrossFlavour = VersionChecks.ALLOW_CROSS_FLAVOUR.flag(execution.settings(), execution.stepId());
        Optional<String> requested = execution.settings().find(ENGINE_VERSION.key());
        if (requested.isPresent()) {
            if (!available.containsKey(requested.get())) {
                throw execution.fail(ErrorCode.VERSION_MISMATCH, engineType + " " + requested.get() + " is not available in namespace "
                        + namespace, "the DatabaseEngine offers " + available.keySet(), "Set everest.engineVersion to one of those, or leave it unset");
            }
            VersionChecks.checkTarget(execution, policy, source, target(keys, requested.get()));
            return requested.get();
        }
        List<String> fitting = new ArrayList<>();
        for (String version : available.keySet()) {
            ServerVersion candidate = target(keys, version);
            boolean fits = (allowCrossFlavour || candidate.flavour().equals(source.flavour()))
                    && (policy == VersionPolicy.IDENTICAL ? candidate.major() == source.major() : candidate.major() >= source.major());
            if (fits) {
                fitting.add(version);
            }
        }
        if (fitting.isEmpty()) {
            throw execution.fail(ErrorCode.VERSION_MISMATCH, "No " + engineType + " version in namespace " + namespace + " fits the source "
                            + source, "policy " + policy.describe() + "; available: " + available.keySet(),
                    "Make a fitting engine version available in Everest, or migrate from a source Everest can hold");
        }
        int major = fitting.stream().mapToInt(v -> target(keys, v).major()).min().orElseThrow();
        List<String> ofMajor = fitting.stream().filter(v -> target(keys, v).major() == major).toList();
        Comparator<String> newest = Comparator.comparing(EverestChecks::versionKey);
        return ofMajor.stream().filter(v -> RECOMMENDED.equals(available.get(v))).max(newest)
                .orElseGet(() -> ofMajor.stream().max(newest).orElseThrow());
    }

    private static ServerVersion target(EngineKeys keys, String version) {
        return ServerVersionText.parse(keys.flavour(), keys.flavour(), version);
    }

    private static String versionKey(String version) {
        StringBuilder key = new StringBuilder();
        for (String part : version.split("[.-]")) {
            key.append(String.format("%08d", part.matches("\\d+") ? Long.parseLong(part) : 0));
        }
        return key.toString();
    }

    /** The usable versions of the engine type, oldest first, each with its status (recommended, available, ...). */
    private static Map<String, String> availableVersions(StepExecution execution, EverestApi api, String namespace, String engineType) {
        for (Map<String, Object> engine : api.databaseEngines(namespace)) {
            if (!engineType.equals(EverestDocuments.text(engine, "spec", "type"))) {
                continue;
            }
            Map<String, Object> versions = EverestDocuments.map(engine, "status", "availableVersions", "engine");
            Map<String, String> usable = new TreeMap<>(Comparator.comparing(EverestChecks::versionKey));
            if (versions != null) {
                versions.forEach((version, component) -> {
                    String status = component instanceof Map<?, ?> c && c.get("status") != null ? c.get("status").toString() : "available";
                    if (!status.equals("unavailable") && !status.equals("unsupported")) {
                        usable.put(version, status);
                    }
                });
            }
            if (!usable.isEmpty()) {
                return usable;
            }
        }
        throw execution.fail(ErrorCode.EVEREST, "Everest offers no " + engineType + " version in namespace " + namespace,
                "no DatabaseEngine of type " + engineType + " there lists available versions",
                "Install the " + engineType + " operator in that namespace (everestctl namespaces add) or set everest.namespace");
    }

    private static void checkRequiredFields(StepExecution execution, Map<String, Object> importer, String importerName,
                                            Map<String, Object> cluster) {
        List<String> missing = new ArrayList<>();
        for (Object field : EverestDocuments.list(importer, "spec", "databaseClusterConstraints", "requiredFields")) {
            String[] path = field.toString().replaceAll("^\\.", "").split("\\.");
            Object value = EverestDocuments.at(cluster, path);
            if (value == null || value.toString().isEmpty()) {
                missing.add(field.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw execution.fail(ErrorCode.EVEREST, "DataImporter " + importerName + " requires fields the cluster would not have",
                    "missing " + missing, "Set them with everest.spec.<path> settings (for example everest.spec.engine.userSecretsName)");
        }
    }

    /** The DatabaseCluster to create, with the flat spec.dataSource.dataImport. */
    static Map<String, Object> clusterDocument(StepExecution execution, EverestPlan plan, String path, ObjectStoreSettings store) {
        Settings settings = execution.settings();
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("size", STORAGE_SIZE.text(settings));
        settings.find(STORAGE_CLASS.key()).ifPresent(c -> storage.put("class", c));
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("type", plan.engineType());
        engine.put("version", plan.engineVersion());
        engine.put("replicas", REPLICAS.intValue(settings, execution.stepId()));
        engine.put("userSecretsName", EverestResources.userSecretName(plan.cluster()));
        engine.put("storage", storage);
        Map<String, Object> s3 = new LinkedHashMap<>();
        if (store != null) {
            s3.put("bucket", store.bucket());
            s3.put("region", store.region());
            s3.put("endpointURL", store.endpoint() == null ? "https://s3." + store.region() + ".amazonaws.com" : store.endpoint().toString());
            s3.put("credentialsSecretName", s3SecretName(plan.cluster()));
            s3.put("verifyTLS", store.verifyTls());
            s3.put("forcePathStyle", store.pathStyle());
        }
        Map<String, Object> dataImport = new LinkedHashMap<>();
        dataImport.put("dataImporterName", plan.importer());
        dataImport.put("source", new LinkedHashMap<>(Map.of("path", path, "s3", s3)));
        if (plan.config() != null) {
            dataImport.put("config", plan.config());
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("engine", engine);
        spec.put("dataSource", new LinkedHashMap<>(Map.of("dataImport", dataImport)));
        settings.withPrefix("everest.spec.").forEach((field, value) -> put(spec, field.split("\\."), value));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", plan.cluster());
        metadata.put("namespace", plan.namespace());
        metadata.put("labels", Map.of("app.kubernetes.io/managed-by", "ferry"));
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("apiVersion", EverestResources.API_VERSION);
        cluster.put("kind", "DatabaseCluster");
        cluster.put("metadata", metadata);
        cluster.put("spec", spec);
        return cluster;
    }

    /** The Secret holding the S3 keys the importer reads (as Everest's UI names it). */
    static String s3SecretName(String cluster) {
        return "cred-secret-" + cluster;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> document, String[] path, Object value) {
        Map<String, Object> current = document;
        for (int i = 0; i < path.length - 1; i++) {
            current = (Map<String, Object>) current.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        }
        current.put(path[path.length - 1], value);
    }
}
