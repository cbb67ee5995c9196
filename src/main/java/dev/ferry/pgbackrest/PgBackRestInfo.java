package dev.ferry.pgbackrest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.runtime.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code pgbackrest info --output=json}, read. The command exits 0 even when the repository is
 * broken, so {@link Stanza#ok()} (status code 0) is what counts; the messages are the repository's
 * own ({@code status.message} and each {@code repo[].status.message}).
 */
public final class PgBackRestInfo {

    /** One database a stanza knows ({@code db[]}): its history id, system id and PostgreSQL major version. */
    public record Database(int id, String systemId, String version) {
    }

    /** One backup ({@code backup[]}). Times are Unix seconds. */
    public record Backup(String label, String type, int databaseId, String pgbackrestVersion, long startedAt, long stoppedAt,
                         long size, long repositorySize, boolean error) {
    }

    /** One stanza: its status and what it holds. */
    public record Stanza(String name, int statusCode, String statusMessage, List<String> repositoryMessages,
                         List<Database> databases, List<Backup> backups) {

        public boolean ok() {
            return statusCode == 0;
        }

        /** The repository's own explanation: the stanza's message and every repository's that is not ok. */
        public String explanation() {
            List<String> parts = new ArrayList<>();
            parts.add("status " + statusCode + " (" + statusMessage + ")");
            repositoryMessages.forEach(parts::add);
            return String.join("; ", parts);
        }

        public Backup backup(String label) {
            return backups.stream().filter(b -> b.label().equals(label)).findFirst().orElse(null);
        }

        public Backup newest() {
            return backups.isEmpty() ? null : backups.get(backups.size() - 1);
        }

        public Database database(int id) {
            return databases.stream().filter(d -> d.id() == id).findFirst().orElse(null);
        }
    }

    private PgBackRestInfo() {
    }

    /** The stanzas in the JSON; empty when the text is not the expected JSON array. */
    public static List<Stanza> parse(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return List.of();
        }
        List<Stanza> stanzas = new ArrayList<>();
        if (root == null || !root.isArray()) {
            return stanzas;
        }
        for (JsonNode node : root) {
            List<String> repositories = new ArrayList<>();
            for (JsonNode repo : node.path("repo")) {
                JsonNode status = repo.path("status");
                if (status.path("code").asInt(0) != 0) {
                    repositories.add("repo" + repo.path("key").asInt(1) + ": " + status.path("message").asText("status "
                            + status.path("code").asInt()));
                }
            }
            List<Database> databases = new ArrayList<>();
            for (JsonNode db : node.path("db")) {
                databases.add(new Database(db.path("id").asInt(), db.path("system-id").asText(), db.path("version").asText()));
            }
            List<Backup> backups = new ArrayList<>();
            for (JsonNode backup : node.path("backup")) {
                backups.add(new Backup(backup.path("label").asText(), backup.path("type").asText(),
                        backup.path("database").path("id").asInt(), backup.path("backrest").path("version").asText(null),
                        backup.path("timestamp").path("start").asLong(), backup.path("timestamp").path("stop").asLong(),
                        backup.path("info").path("size").asLong(), backup.path("info").path("repository").path("size").asLong(),
                        backup.path("error").asBoolean(false)));
            }
            stanzas.add(new Stanza(node.path("name").asText(), node.path("status").path("code").asInt(99),
                    node.path("status").path("message").asText("no status"), repositories, databases, backups));
        }
        return stanzas;
    }
}
