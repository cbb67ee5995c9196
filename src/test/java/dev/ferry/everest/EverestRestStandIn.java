package dev.ferry.everest;

import dev.ferry.everest.api.EverestResources;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.runtime.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everest's REST API as documented, in front of the same mock API server the simulation watches:
 * {@code POST /v1/session} answers a token for the right user and password; every other call needs
 * {@code Authorization: Bearer <token>}.
 */
final class EverestRestStandIn implements AutoCloseable {

    private static final String TOKEN = "jwt-token-for-tests-0123456789";
    private static final Pattern CLUSTER = Pattern.compile("/v1/namespaces/([^/]+)/database-clusters(?:/([^/]+))?(/secret|/data-import-jobs|/credentials)?");

    private final HttpServer server;
    private final KubernetesClient client;
    private final String user;
    private final String password;
    private final List<String> calls = new ArrayList<>();
    private final AtomicInteger unauthorised = new AtomicInteger();

    private EverestRestStandIn(HttpServer server, KubernetesClient client, String user, String password) {
        this.server = server;
        this.client = client;
        this.user = user;
        this.password = password;
    }

    static EverestRestStandIn start(KubernetesClient client, String user, String password) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        EverestRestStandIn standIn = new EverestRestStandIn(server, client, user, password);
        server.createContext("/", standIn::handle);
        server.start();
        return standIn;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    int unauthorised() {
        return unauthorised.get();
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        synchronized (this) {
            calls.add(method + " " + path);
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("/v1/session") && method.equals("POST")) {
                Map<String, Object> login = Json.MAPPER.readValue(body, Map.class);
                if (user.equals(login.get("username")) && password.equals(login.get("password"))) {
                    answer(exchange, 200, Map.of("token", TOKEN));
                } else {
                    answer(exchange, 401, Map.of("message", "invalid credentials"));
                }
                return;
            }
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                unauthorised.incrementAndGet();
                answer(exchange, 401, Map.of("message", "no token"));
                return;
            }
            if (path.equals("/v1/data-importers")) {
                answer(exchange, 200, Map.of("items", client.genericKubernetesResources(EverestResources.DATA_IMPORTER).list().getItems()));
                return;
            }
            Matcher engines = Pattern.compile("/v1/namespaces/([^/]+)/database-engines").matcher(path);
            if (engines.matches()) {
                answer(exchange, 200, Map.of("items", client.genericKubernetesResources(EverestResources.DATABASE_ENGINE)
                        .inNamespace(engines.group(1)).list().getItems()));
                return;
            }
            Matcher cluster = CLUSTER.matcher(path);
            if (cluster.matches()) {
                clusterCall(exchange, method, cluster.group(1), cluster.group(2), cluster.group(3), body);
                return;
            }
            answer(exchange, 404, Map.of("message", "not found"));
        } catch (RuntimeException e) {
            answer(exchange, 500, Map.of("message", String.valueOf(e.getMessage())));
        }
    }

    @SuppressWarnings("unchecked")
    private void clusterCall(HttpExchange exchange, String method, String namespace, String name, String sub, byte[] body) throws IOException {
        if (name == null && method.equals("POST")) {
            GenericKubernetesResource resource = Json.MAPPER.readValue(body, GenericKubernetesResource.class);
            if (client.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(namespace)
                    .withName(resource.getMetadata().getName()).get() != null) {
                answer(exchange, 409, Map.of("message", "already exists"));
                return;
            }
            answer(exchange, 200, client.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(namespace)
                    .resource(resource).create());
            return;
        }
        if ("/secret".equals(sub)) {
            Secret secret = Json.MAPPER.readValue(body, Secret.class);
            if (client.secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).get() != null) {
                answer(exchange, 409, Map.of("message", "already exists"));
                return;
            }
            answer(exchange, 200, client.secrets().inNamespace(namespace).resource(secret).create().getMetadata());
            return;
        }
        if ("/data-import-jobs".equals(sub)) {
            answer(exchange, 200, Map.of("items", client.genericKubernetesResources(EverestResources.DATA_IMPORT_JOB).inNamespace(namespace)
                    .withLabel("clusterName", name).list().getItems()));
            return;
        }
        if ("/credentials".equals(sub)) {
            Secret secret = client.secrets().inNamespace(namespace).withName(EverestResources.userSecretName(name)).get();
            Map<String, String> data = new HashMap<>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                data.putAll(secret.getStringData());
            }
            answer(exchange, 200, Map.of("username", "postgres", "password", data.get("password")));
            return;
        }
        GenericKubernetesResource found = client.genericKubernetesResources(EverestResources.DATABASE_CLUSTER).inNamespace(namespace)
                .withName(name).get();
        if (found == null) {
            answer(exchange, 404, Map.of("message", "not found"));
        } else {
            answer(exchange, 200, found);
        }
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
