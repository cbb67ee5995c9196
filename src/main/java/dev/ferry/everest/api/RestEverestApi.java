package dev.ferry.everest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everest over its REST API ({@code everest.transport: rest}): {@code POST /v1/session} with the
 * user and password, then {@code Authorization: Bearer <token>} on every call. The token is a
 * {@link Secret}, so it never reaches a log or a report. The importer pod's log is not served by this
 * API: a failure then says so and names the pod to look at.
 */
public final class RestEverestApi implements EverestApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final Secret token;
    private final String step;

    private RestEverestApi(HttpClient http, URI base, Secret token, String step) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.step = step;
    }

    public static RestEverestApi login(URI url, String user, Secret password, String step) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        URI base = URI.create(url.toString().replaceAll("/+$", "") + "/");
        Map<String, String> body = Map.of("username", user, "password", password.reveal());
        HttpResponse<String> response = send(http, HttpRequest.newBuilder(base.resolve("v1/session")), "POST", body, step,
                "log in to Everest at " + base);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new FerryException(response.statusCode() == 401 || response.statusCode() == 403 ? ErrorCode.CREDENTIALS : ErrorCode.CONNECTION,
                    step, "Everest at " + base + " refused the login of " + user, "HTTP " + response.statusCode(),
                    "Check everest.user and everest.password (or everest.passwordFile / everest.passwordEnv)");
        }
        Object value = read(response.body(), step).get("token");
        if (value == null) {
            throw new FerryException(ErrorCode.CONNECTION, step, "Everest at " + base + " answered the login without a token", null,
                    "Check that everest.url is Everest's address");
        }
        return new RestEverestApi(http, base, Secret.of(value.toString(), "everest session of " + user), step);
    }

    @Override
    public Optional<Map<String, Object>> dataImporter(String name) {
        return items(get("v1/data-importers", "list data importers").orElse(Map.of())).stream()
                .filter(item -> name.equals(EverestDocuments.text(item, "metadata", "name"))).findFirst();
    }

    @Override
    public List<Map<String, Object>> databaseEngines(String namespace) {
        return items(get("v1/namespaces/" + namespace + "/database-engines", "list database engines").orElse(Map.of()));
    }

    @Override
    public Optional<Map<String, Object>> databaseCluster(String namespace, String name) {
        return get("v1/namespaces/" + namespace + "/database-clusters/" + name, "read database cluster " + name);
    }

    @Override
    public boolean createSecretIfAbsent(String namespace, String cluster, String name, Map<String, String> data) {
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", Map.of("name", name, "namespace", namespace));
        secret.put("type", "Opaque");
        secret.put("stringData", data);
        HttpResponse<String> response = call("POST", "v1/namespaces/" + namespace + "/database-clusters/" + cluster + "/secret", secret,
                "create Secret " + name);
        if (response.statusCode() == 409) {
            return false;
        }
        check(response, "create Secret " + name);
        return true;
    }

    @Override
    public void createDatabaseCluster(String namespace, Map<String, Object> cluster) {
        check(call("POST", "v1/namespaces/" + namespace + "/database-clusters", cluster, "create the database cluster"),
                "create the database cluster");
    }

    @Override
    public Optional<Map<String, Object>> dataImportJob(String namespace, String cluster) {
        return get("v1/namespaces/" + namespace + "/database-clusters/" + cluster + "/data-import-jobs", "list data import jobs")
                .map(RestEverestApi::items).flatMap(list -> list.stream().reduce((a, b) -> b));
    }

    @Override
    public Credentials credentials(String namespace, String cluster, String engineType, String userSecret) {
        Map<String, Object> answer = get("v1/namespaces/" + namespace + "/database-clusters/" + cluster + "/credentials",
                "read the cluster's credentials").orElseThrow(() -> new FerryException(ErrorCode.CREDENTIALS, step,
                "Everest has no credentials for cluster " + cluster, null, "Check the cluster's user Secret " + userSecret));
        String user = EverestDocuments.text(answer, "username");
        String password = EverestDocuments.text(answer, "password");
        if (password == null) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, "Everest answered the credentials of " + cluster + " without a password",
                    null, "Check the cluster's user Secret " + userSecret);
        }
        return new Credentials(user == null ? EngineKeys.of(engineType, step).user() : user,
                Secret.of(password, "everest-api:" + namespace + "/" + cluster + "/credentials"));
    }

    @Override
    public String importerLog(String namespace, String jobName, int lines) {
        return "(Everest's REST API serves no pod logs: run kubectl logs -n " + namespace + " -l job-name=" + jobName + " -c importer)";
    }

    @Override
    public String describe() {
        return "Everest REST API at " + base;
    }

    @Override
    public void close() {
        // the JDK client has nothing to close on Java 17
    }

    private Optional<Map<String, Object>> get(String path, String what) {
        HttpResponse<String> response = call("GET", path, null, what);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        check(response, what);
        return Optional.of(read(response.body(), step));
    }

    private HttpResponse<String> call(String method, String path, Object body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token.reveal());
        return send(http, request, method, body, step, what);
    }

    private void check(HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String message = response.body() == null ? "" : response.body();
        throw new FerryException(status == 401 || status == 403 ? ErrorCode.CREDENTIALS : ErrorCode.CONNECTION, step,
                "Everest could not " + what, "HTTP " + status + (message.isBlank() ? "" : ": " + message.strip()),
                status == 403 ? "Give the Everest user the RBAC role for this namespace" : "Check the Everest server's log");
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request, String method, Object body, String step,
                                             String what) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body), StandardCharsets.UTF_8);
            request.timeout(TIMEOUT).header("Content-Type", "application/json").header("Accept", "application/json").method(method, publisher);
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CONNECTION, step, "Cannot " + what, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "Check everest.url and that Everest answers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.CONNECTION, step, "Interrupted while trying to " + what, null, "Run again");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String body, String step) {
        try {
            return body == null || body.isBlank() ? Map.of() : Json.MAPPER.readValue(body, Map.class);
        } catch (JsonProcessingException e) {
            throw new FerryException(ErrorCode.CONNECTION, step, "Everest answered something that is not JSON", e.getOriginalMessage(),
                    "Check that everest.url is Everest's address");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> list) {
        Object items = list.get("items");
        return items instanceof List<?> ? (List<Map<String, Object>>) items : List.of();
    }
}
