package dev.ferry.everest;

import dev.ferry.everest.api.EngineKeys;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;
import dev.ferry.steps.ArtifactInput;
import dev.ferry.steps.Stores;
import dev.ferry.steps.ImportResult;
import dev.ferry.pgbackrest.PhysicalSteps;

import java.util.Set;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.credentials.CredentialResolver;
import dev.ferry.credentials.Secret;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.ServerVersion;
import dev.ferry.engine.ServerVersionText;
import dev.ferry.everest.api.EverestApi;
import dev.ferry.everest.api.EverestDocuments;
import dev.ferry.everest.api.EverestResources;
import dev.ferry.pgbackrest.PhysicalBackup;
import dev.ferry.runtime.Json;
import dev.ferry.runtime.Settings;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ArtifactRef;
import dev.ferry.storage.Manifest;
import dev.ferry.storage.ObjectStoreSettings;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ferry:everest-import}: imports the artifact into a new Percona Everest cluster through a
 * DataImporter, over the Kubernetes API or Everest's REST API ({@code everest.transport}). First
 * every check ({@link EverestChecks}) and that the S3 path holds what the importer needs (a Ferry
 * manifest), so a misfit fails before anything is created; then the user Secret and the S3
 * credentials Secret (each only if absent) and the DatabaseCluster with the flat
 * {@code spec.dataSource.dataImport}. An existing cluster with the same import spec is adopted (a
 * resumed run); a different one is an error. Then it follows {@code status.status} and the
 * DataImportJob until the job succeeded and the cluster is ready, fails on {@code error}, a failed
 * job or the timeout with the importer's last log lines, and hands the new cluster on as
 * {@code ferry.target} (host and port from its status, credentials from its user Secret).
 * The source is a Ferry artifact ({@code ferry.artifact}), or — when the importer is Everest's
 * built-in {@value EverestPhysicalSource#BUILT_IN_POSTGRESQL} — the full pgBackRest backup
 * {@code ferry.backup} at {@code <repoPath>/backup/db/<label>/} ({@link EverestPhysicalSource}).
 * Reads {@code ferry.artifact} (or {@code ferry.backup}), {@code ferry.store}; sets {@code ferry.target}, {@code ferry.import}.
 */
public final class EverestImportStep implements FerryStep {

    public static final Setting POLL_MILLIS = Setting.integer("everest.pollMillis", 5000, "how often the cluster's state is read while it imports");
    public static final Setting TIMEOUT_MINUTES = Setting.integer("everest.timeoutMinutes", 60, "how long the import may take until the cluster is ready");
    public static final Setting TIMEOUT_SECONDS = Setting.integer("everest.timeoutSeconds", "the same deadline in seconds; wins over everest.timeoutMinutes");

    public static final StepSpec SPEC = new StepSpec("everest-import",
            "creates the Everest cluster that imports the artifact (or, with the built-in PostgreSQL importer, the full pgBackRest"
                    + " backup) through a DataImporter, follows it to ready, and hands on the new cluster as the target",
            (settings, options) -> StepSpec.Contract.of(EverestChecks.physical(settings) ? Set.of(Variables.BACKUP, Variables.STORE) : Set.of(Variables.ARTIFACT, Variables.STORE), Set.of(Variables.TARGET, Variables.IMPORT))
                    .withTransient(Set.of(Variables.TARGET)),
            List.of(), List.of(POLL_MILLIS, TIMEOUT_MINUTES, TIMEOUT_SECONDS));

    private static final int LOG_LINES = 20;

    @Override
    public void execute(StepExecution execution) throws Exception {
        String step = execution.stepId();
        Settings settings = execution.settings();
        ObjectStoreSettings store = execution.input(Variables.STORE, ObjectStoreSettings.class);
        EverestApi api = EverestChecks.api(execution);
        EngineKeys keys = EngineKeys.of(EverestChecks.engineType(settings), step);
        Source source = EverestChecks.physical(settings) ? physical(execution, store) : logical(execution, keys);
        EverestPlan plan = EverestChecks.plan(execution, api, source.version());
        execution.figure("cluster", plan.namespace() + "/" + plan.cluster());
        execution.figure("engine", plan.engineType() + " " + plan.engineVersion());
        execution.figure("importer", plan.importer());
        execution.figure("path", source.path());
        Map<String, Object> desired = EverestChecks.clusterDocument(execution, plan, source.path(), store);

        Optional<Map<String, Object>> existing = api.databaseCluster(plan.namespace(), plan.cluster());
        if (existing.isPresent()) {
            adopt(execution, plan, existing.get(), desired);
        } else {
            create(execution, api, plan, keys, store, desired);
        }
        Map<String, Object> ready = follow(execution, api, plan);

        String host = EverestDocuments.text(ready, "status", "hostname");
        String port = EverestDocuments.text(ready, "status", "port");
        EverestApi.Credentials credentials = api.credentials(plan.namespace(), plan.cluster(), plan.engineType(),
                EverestResources.userSecretName(plan.cluster()));
        String database = settings.get("target.database", source.database());
        Map<String, String> tls = new LinkedHashMap<>();
        settings.withPrefix("target.").forEach((key, value) -> {
            if (key.startsWith("ssl") && value != null && !value.isBlank()) {
                tls.put(key, value);
            }
        });
        DatabaseEndpoint target = new DatabaseEndpoint(keys.ferryEngine(), host, port == null ? 0 : Integer.parseInt(port),
                database, credentials.user(), credentials.password(), tls);
        execution.note("cluster " + plan.namespace() + "/" + plan.cluster() + " is ready at " + target.describe()
                + ", password from " + credentials.password().origin());
        execution.output(Variables.TARGET, target);
        execution.output(Variables.IMPORT, new ImportResult(source.uri(), target.describe(), source.objects(), source.bytes(), false));
    }

    /** What the cluster imports: the S3 path its importer reads, the source's version, what the path holds. */
    private record Source(String path, ServerVersion version, String database, String uri, List<String> objects, long bytes) {
    }

    /** A Ferry artifact ({@code ferry.artifact} or the {@code artifact} setting): its folder must hold a manifest. */
    private static Source logical(StepExecution execution, EngineKeys keys) {
        ArtifactRef artifact = ArtifactInput.resolve(execution);
        Manifest manifest = Stores.artifacts(execution).readManifest(artifact.folder(), execution.stepId());
        return new Source(artifact.folder().path(), ServerVersionText.parse(manifest.engine(), keys.flavour(), manifest.serverVersion()),
                manifest.source().database(), artifact.uri(), manifest.objects().stream().map(Manifest.StoredObject::name).toList(),
                manifest.objects().stream().mapToLong(Manifest.StoredObject::uncompressedSize).sum());
    }

    /** A full pgBackRest backup ({@code ferry.backup}) for the built-in importer: {@code <repoPath>/backup/db/<label>/}. */
    private static Source physical(StepExecution execution, ObjectStoreSettings store) {
        PhysicalBackup backup = execution.input(Variables.BACKUP, PhysicalBackup.class);
        String path = EverestPhysicalSource.check(execution, backup, store);
        return new Source(path, PhysicalSteps.version(backup.postgresVersion()), execution.settings().get("source.database", "postgres"),
                backup.uri(), List.of(backup.label()), backup.size());
    }

    private static void adopt(StepExecution execution, EverestPlan plan, Map<String, Object> existing, Map<String, Object> desired) {
        List<String> differences = new java.util.ArrayList<>();
        compare(differences, "spec.engine.type", existing, desired, "spec", "engine", "type");
        compare(differences, "spec.engine.version", existing, desired, "spec", "engine", "version");
        compare(differences, "spec.dataSource.dataImport", withoutKeys(existing), withoutKeys(desired), "spec", "dataSource", "dataImport");
        if (!differences.isEmpty()) {
            throw execution.fail(ErrorCode.EVEREST, "DatabaseCluster " + plan.namespace() + "/" + plan.cluster()
                            + " already exists with a different spec", "it differs in " + String.join(", ", differences),
                    "Pick another everest.cluster, or delete that cluster if it is a failed import of yours");
        }
        execution.note("DatabaseCluster " + plan.namespace() + "/" + plan.cluster() + " exists with the same import spec: adopted");
    }

    private static void compare(List<String> differences, String name, Map<String, Object> existing, Map<String, Object> desired,
                                String... path) {
        Object have = EverestDocuments.at(existing, path);
        Object want = EverestDocuments.at(desired, path);
        if (!Json.MAPPER.valueToTree(have).equals(Json.MAPPER.valueToTree(want))) {
            differences.add(name + " (" + Json.MAPPER.valueToTree(have) + " there, " + Json.MAPPER.valueToTree(want) + " wanted)");
        }
    }

    /** The cluster without the write-only S3 keys, which Everest's webhook blanks. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutKeys(Map<String, Object> cluster) {
        Map<String, Object> copy = Json.MAPPER.convertValue(cluster, Map.class);
        Map<String, Object> s3 = EverestDocuments.map(copy, "spec", "dataSource", "dataImport", "source", "s3");
        if (s3 != null) {
            s3.remove("accessKeyId");
            s3.remove("secretAccessKey");
        }
        return copy;
    }

    private static void create(StepExecution execution, EverestApi api, EverestPlan plan, EngineKeys keys, ObjectStoreSettings store,
                               Map<String, Object> desired) {
        String step = execution.stepId();
        if (store.accessKey() == null) {
            throw execution.fail(ErrorCode.CREDENTIALS, "Everest's importer needs S3 keys", "storage.accessKey and storage.secretKey are not set"
                    + " (the AWS default chain works for Ferry, not for a pod Everest starts)", "Set storage.accessKey and storage.secretKey");
        }
        String userSecret = EverestResources.userSecretName(plan.cluster());
        Secret password = new CredentialResolver(execution.run().rawSettings(), execution.settings()).find("target.password", step);
        if (password == null) {
            password = Secret.of(generatedPassword(), "generated by Ferry for " + userSecret);
        }
        boolean created = api.createSecretIfAbsent(plan.namespace(), plan.cluster(), userSecret, Map.of(keys.passwordKey(), password.reveal()));
        execution.note(created ? "created user Secret " + userSecret + " (key " + keys.passwordKey() + ", password from " + password.origin() + ")"
                : "user Secret " + userSecret + " exists: kept as it is");
        String s3Secret = EverestChecks.s3SecretName(plan.cluster());
        created = api.createSecretIfAbsent(plan.namespace(), plan.cluster(), s3Secret,
                Map.of("AWS_ACCESS_KEY_ID", store.accessKey(), "AWS_SECRET_ACCESS_KEY", store.secretKey().reveal()));
        execution.note(created ? "created S3 credentials Secret " + s3Secret : "S3 credentials Secret " + s3Secret + " exists: kept as it is");
        api.createDatabaseCluster(plan.namespace(), desired);
        execution.note("created DatabaseCluster " + plan.namespace() + "/" + plan.cluster() + " (" + plan.engineType() + " "
                + plan.engineVersion() + ", importer " + plan.importer() + ") through " + api.describe());
    }

    /** Waits for the import to succeed and the cluster to be ready; fails on error, a failed job or the timeout. */
    private static Map<String, Object> follow(StepExecution execution, EverestApi api, EverestPlan plan) throws InterruptedException {
        String step = execution.stepId();
        Duration timeout = execution.settings().find(TIMEOUT_SECONDS.key()).isPresent()
                ? Duration.ofSeconds(TIMEOUT_SECONDS.intValue(execution.settings(), step))
                : Duration.ofMinutes(TIMEOUT_MINUTES.intValue(execution.settings(), step));
        long pollMillis = Math.max(100, POLL_MILLIS.intValue(execution.settings(), step));
        Instant deadline = Instant.now().plus(timeout);
        String shown = null;
        while (true) {
            Map<String, Object> cluster = api.databaseCluster(plan.namespace(), plan.cluster()).orElseThrow(() -> execution.fail(
                    ErrorCode.IMPORT_FAILED, "DatabaseCluster " + plan.namespace() + "/" + plan.cluster() + " disappeared during the import",
                    null, "Find who deleted it; then run again"));
            String status = EverestDocuments.text(cluster, "status", "status");
            Optional<Map<String, Object>> job = api.dataImportJob(plan.namespace(), plan.cluster());
            String state = job.map(j -> EverestDocuments.text(j, "status", "state")).orElse(null);
            String progress = job.map(j -> EverestDocuments.text(j, "metadata", "annotations", EverestResources.PROGRESS_ANNOTATION))
                    .orElse(null);
            String line = "cluster " + (status == null ? "pending" : status) + (state == null ? "" : ", import job " + state)
                    + (progress == null ? "" : ": " + progress);
            if (!line.equals(shown)) {
                execution.run().console().line("  " + step + ": " + line);
                shown = line;
            }
            boolean failedCondition = EverestDocuments.list(cluster, "status", "conditions").stream()
                    .anyMatch(c -> c instanceof Map<?, ?> m && "ImportFailed".equals(m.get("type")) && "True".equals(String.valueOf(m.get("status"))));
            if ("error".equals(status) || "Failed".equals(state) || failedCondition) {
                throw failed(execution, api, plan, cluster, job.orElse(null), "the import failed");
            }
            if ("ready".equals(status) && "Succeeded".equals(state)) {
                execution.note("import job " + job.map(j -> EverestDocuments.text(j, "metadata", "name")).orElse("?") + " succeeded"
                        + (progress == null ? "" : "; the importer's last progress: " + progress));
                return cluster;
            }
            if (Instant.now().isAfter(deadline)) {
                throw failed(execution, api, plan, cluster, job.orElse(null), "it did not finish in " + timeout.toSeconds() + " s"
                        + " (everest.timeoutMinutes)");
            }
            Thread.sleep(pollMillis);
        }
    }

    private static dev.ferry.FerryException failed(StepExecution execution, EverestApi api, EverestPlan plan, Map<String, Object> cluster,
                                                   Map<String, Object> job, String why) {
        String jobName = job == null ? null : EverestDocuments.text(job, "status", "jobName");
        StringBuilder detail = new StringBuilder(why);
        String message = EverestDocuments.text(cluster, "status", "message");
        if (message != null) {
            detail.append("; cluster: ").append(message);
        }
        if (job != null) {
            detail.append("; job ").append(EverestDocuments.text(job, "status", "state"));
            String jobMessage = EverestDocuments.text(job, "status", "message");
            if (jobMessage != null) {
                detail.append(": ").append(jobMessage);
            }
        }
        String lastLine = null;
        if (jobName != null) {
            String log = api.importerLog(plan.namespace(), jobName, LOG_LINES);
            execution.note("last lines of the importer's log (job " + jobName + "):");
            String[] lines = log.strip().split("\n");
            for (String logLine : java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - LOG_LINES), lines.length)) {
                logLine = logLine.length() > 400 ? logLine.substring(0, 400) + " ..." : logLine;
                execution.note("  " + logLine);
                if (!logLine.isBlank()) {
                    lastLine = logLine.strip();
                }
            }
        }
        if (lastLine != null) {
            detail.append("; the importer's last line: ").append(lastLine);
        }
        return execution.fail(ErrorCode.IMPORT_FAILED, "The import into Everest cluster " + plan.namespace() + "/" + plan.cluster() + " failed",
                detail.toString(), "Read the importer's log in the report; Everest never retries an import: delete the cluster"
                        + " (kubectl delete databasecluster -n " + plan.namespace() + " " + plan.cluster() + ") and run again");
    }

    private static String generatedPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
