package dev.ferry.juju;

import dev.ferry.spec.Setting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Json;
import dev.ferry.runtime.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Restores a foreign pgBackRest backup into Charmed PostgreSQL ({@code target.juju.*}): points the
 * s3-integrator at the repository ({@code juju config}), hands it the keys through
 * {@code sync-s3-credentials} with a 0600 {@code --params} file (never on juju's command line),
 * runs the charm's {@code restore backup-id=...} on the leader, and follows {@code juju status}
 * until the application is active again or blocked with the charm's "Failed to restore backup".
 */
public final class CharmedPostgresRestore {

    static final Setting S3_INTEGRATOR = Setting.text("target.juju.s3Integrator", "s3-integrator",
            "the s3-integrator application related to the target");
    static final Setting RESTORE_TIMEOUT_MINUTES = Setting.integer("target.juju.restoreTimeoutMinutes", 60,
            "how long the charm's restore may take");
    static final Setting POLL_MILLIS = Setting.integer("target.juju.pollMillis", 10_000, "how often the restore's progress is read");
    static final Setting SETTLE_SECONDS = Setting.integer("target.juju.settleSeconds", 60,
            "how long the application must stay active and idle after the restore");

    /** The settings of a restore through the charm, with the step's own. */
    public static java.util.List<Setting> settings(Setting... more) {
        java.util.List<Setting> all = new java.util.ArrayList<>(java.util.List.of(S3_INTEGRATOR, RESTORE_TIMEOUT_MINUTES, POLL_MILLIS, SETTLE_SECONDS));
        all.addAll(java.util.List.of(more));
        return java.util.List.copyOf(all);
    }

    /** The charm's message for a restore that failed. */
    public static final String FAILED_MESSAGE = "Failed to restore backup";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Where the repository is and how to reach it. {@code caPem}: a private CA's certificate, or null. */
    public record Repository(String endpoint, String bucket, String path, String region, boolean pathStyle, Path caPem,
                             String accessKey, Secret secretKey) {
    }

    /** How the restore ended: the unit that ran it, the final status, and what happened on the way. */
    public record Outcome(String unit, String status, String message, List<String> notes) {
    }

    private CharmedPostgresRestore() {
    }

    /** The charm's PostgreSQL version as {@code juju status} shows it (the application's workload version). */
    public static String workloadVersion(Settings settings, String step) {
        JujuCli juju = new JujuCli(JujuOptions.read("target", settings, step), step);
        String application = juju.options().application();
        JujuCli.Output output = juju.run("status", application, "--format=json");
        if (output.exitCode() != 0) {
            throw juju.failed(output, "juju status failed for " + application, juju.checkAccessHint());
        }
        String version = text(parse(output.stdout()).path("applications").path(application), "version");
        if (version == null) {
            throw new FerryException(ErrorCode.MISSING_INPUT, step, "juju status shows no workload version for " + application,
                    "the charm sets it once PostgreSQL runs", "Wait until the application is active, or set target.postgresVersion");
        }
        return version;
    }

    /** Runs the whole restore; {@code privateFolder} holds the params file for as long as juju needs it. */
    public static Outcome restore(Settings settings, Repository repository, String backupId, Path privateFolder, String step,
                                  Consumer<String> note) {
        JujuOptions options = JujuOptions.read("target", settings, step);
        JujuCli juju = new JujuCli(options, step);
        String integrator = S3_INTEGRATOR.text(settings);
        List<String> notes = new ArrayList<>();
        Consumer<String> both = text -> {
            notes.add(text);
            note.accept(text);
        };

        List<String> config = new ArrayList<>(List.of("config", integrator, "endpoint=" + repository.endpoint(),
                "bucket=" + repository.bucket(), "path=" + repository.path(), "region=" + repository.region(),
                "s3-uri-style=" + (repository.pathStyle() ? "path" : "host")));
        if (repository.caPem() != null) {
            config.add("tls-ca-chain=" + caChain(repository.caPem(), step));
        }
        JujuCli.Output configured = juju.run(config.toArray(String[]::new));
        if (configured.exitCode() != 0) {
            throw restoreFailure(juju, configured, "Could not configure " + integrator);
        }
        both.accept(integrator + " points at s3://" + repository.bucket() + repository.path() + " (" + repository.endpoint() + ")");

        if (repository.accessKey() != null) {
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("access-key", repository.accessKey());
            keys.put("secret-key", repository.secretKey().reveal());
            JujuActionResult synced = action(juju, integrator + "/leader", "sync-s3-credentials", keys, privateFolder);
            both.accept("sync-s3-credentials on " + synced.unit() + ": keys passed in a 0600 --params file, not on juju's command line");
        } else {
            both.accept("no storage keys given: " + integrator + " keeps the credentials it already has");
        }

        String unit = options.unit();
        JujuActionResult started = action(juju, unit, "restore", Map.of("backup-id", backupId), null);
        both.accept("restore backup-id=" + backupId + " started on " + started.unit()
                + (started.result("restore-status") == null ? "" : ": " + started.result("restore-status")));
        return follow(juju, settings, options.application(), started.unit(), step, both, notes);
    }

    /** Runs an action with its parameters, in a 0600 params file when there is a folder for one. */
    private static JujuActionResult action(JujuCli juju, String unit, String action, Map<String, String> params, Path privateFolder) {
        List<String> arguments = new ArrayList<>(juju.options().juju29() ? List.of("run-action", unit, action) : List.of("run", unit, action));
        Path paramsFile = null;
        try {
            if (privateFolder != null) {
                paramsFile = writeParams(privateFolder, params, juju.step());
                arguments.addAll(List.of("--params", paramsFile.toString()));
            } else {
                params.forEach((k, v) -> arguments.add(k + "=" + v));
            }
            arguments.addAll(juju.options().juju29() ? List.of("--wait", "--format=yaml") : List.of("--format=json"));
            JujuCli.Output output = juju.run(arguments.toArray(String[]::new));
            JujuActionResult result = juju.options().juju29() ? JujuActionResult.parseYaml(output.stdout())
                    : JujuActionResult.parseJson(output.stdout());
            if (result == null || !result.succeeded()) {
                String why = result == null ? null : (result.message() != null ? result.message() : result.toString());
                if (why == null) {
                    throw restoreFailure(juju, output, "Action " + action + " on " + unit + " failed");
                }
                throw new FerryException(ErrorCode.RESTORE_FAILED, juju.step(), "Action " + action + " on " + unit + " failed", why,
                        "Look at juju show-task " + (result.id() == null ? "<id>" : result.id()) + " and juju debug-log");
            }
            return result;
        } finally {
            if (paramsFile != null) {
                try {
                    Files.deleteIfExists(paramsFile);
                } catch (IOException ignored) {
                    // in the run's private folder
                }
            }
        }
    }

    private static Path writeParams(Path folder, Map<String, String> params, String step) {
        try {
            Files.createDirectories(folder);
            Path file = Files.createTempFile(folder, "juju-params-", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, YAML.writeValueAsString(params), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, step, "Could not write the action's params file in " + folder, e.getMessage(),
                    "Check that the folder (target.juju.paramsFolder) is writable");
        }
    }

    private static Outcome follow(JujuCli juju, Settings settings, String application, String unit, String step,
                                  Consumer<String> note, List<String> notes) {
        Duration timeout = Duration.ofMinutes(RESTORE_TIMEOUT_MINUTES.intValue(settings, step));
        Duration poll = Duration.ofMillis(POLL_MILLIS.intValue(settings, step));
        Duration settle = Duration.ofSeconds(SETTLE_SECONDS.intValue(settings, step));
        Instant deadline = Instant.now().plus(timeout);
        boolean sawWork = false;
        Instant activeSince = null;
        String last = "no status yet";
        while (Instant.now().isBefore(deadline)) {
            JujuCli.Output output = juju.run("status", application, "--format=json");
            String[] status = output.exitCode() == 0 ? workloadStatus(parse(output.stdout()), application, unit) : null;
            if (status != null) {
                String current = status[0];
                String message = status[1] == null ? "" : status[1];
                String shown = current + (message.isEmpty() ? "" : " \"" + message + "\"");
                if (!shown.equals(last)) {
                    note.accept(unit + " is " + shown);
                }
                last = shown;
                if (current.equals("blocked") && message.contains(FAILED_MESSAGE)) {
                    throw new FerryException(ErrorCode.RESTORE_FAILED, step, "Charmed PostgreSQL could not restore the backup",
                            unit + " is blocked: " + message, "Look at juju debug-log --include " + unit
                            + " (pgBackRest's own error), fix the cause and run the import again");
                }
                if (current.equals("active")) {
                    if (activeSince == null) {
                        activeSince = Instant.now();
                    }
                    if (sawWork || !Instant.now().isBefore(activeSince.plus(settle))) {
                        if (!sawWork) {
                            note.accept(unit + " stayed active for " + settle.toSeconds() + " s without showing the restore at work");
                        }
                        return new Outcome(unit, current, message, notes);
                    }
                } else {
                    activeSince = null;
                    sawWork |= current.equals("maintenance") || current.equals("waiting");
                }
            }
            sleep(poll);
        }
        throw new FerryException(ErrorCode.RESTORE_FAILED, step, "The charm's restore did not finish in " + timeout.toMinutes()
                + " minutes", "the last status of " + unit + " was " + last,
                "Follow juju status " + application + "; raise target.juju.restoreTimeoutMinutes for a large backup");
    }

    /** {current, message} of the unit (its workload status), else of the application. */
    static String[] workloadStatus(JsonNode root, String application, String unit) {
        JsonNode app = root.path("applications").path(application);
        JsonNode units = app.path("units");
        JsonNode chosen = units.path(unit);
        if (chosen.isMissingNode()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = units.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().path("leader").asBoolean(false) || !it.hasNext()) {
                    chosen = entry.getValue();
                    break;
                }
            }
        }
        JsonNode status = chosen.path("workload-status");
        if (status.isMissingNode()) {
            status = app.path("application-status");
        }
        String current = text(status, "current");
        return current == null ? null : new String[] {current, text(status, "message")};
    }

    private static String caChain(Path pem, String step) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(pem));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Could not read the CA file " + pem, e.getMessage(),
                    "Check storage.caBundle");
        }
    }

    private static FerryException restoreFailure(JujuCli juju, JujuCli.Output output, String what) {
        FerryException failed = juju.failed(output, what, juju.checkAccessHint());
        return new FerryException(ErrorCode.RESTORE_FAILED, failed.step(), failed.what(), failed.why(), failed.next());
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node == null ? Json.MAPPER.createObjectNode() : node;
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.RESTORE_FAILED, null, "Interrupted while following the charm's restore", null,
                    "Follow juju status yourself");
        }
    }
}
