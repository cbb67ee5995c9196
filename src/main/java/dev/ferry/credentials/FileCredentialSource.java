package dev.ferry.credentials;

import dev.ferry.spec.Setting;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Credentials from a file ({@code <side>.credentials: file}, {@code <side>.credentialsFile: PATH}) in
 * one of the formats people already have: a PostgreSQL password file ({@code .pgpass}:
 * {@code host:port:database:user:password}, {@code *} matching anything), a MySQL option file
 * ({@code my.cnf}: {@code user=} and {@code password=} in {@code [client]} or
 * {@code <side>.credentialsSection}), or JSON / YAML with key paths {@code <side>.credentialsKeys.user},
 * {@code .password}, {@code .host}, {@code .port}, {@code .database} (defaults: those names; dots
 * descend). The format follows the file name unless {@code <side>.credentialsFormat} says otherwise.
 */
public final class FileCredentialSource implements CredentialSource {

    private static final List<Setting> SETTINGS = List.of(
            Setting.text("<side>.credentialsFile", null, "a file holding the side's credentials: pgpass, my.cnf, JSON or YAML"),
            Setting.choice("<side>.credentialsFormat", null, "the file's format; default from its name",
                    "pgpass", "my.cnf", "mycnf", "ini", "json", "yaml"),
            Setting.text("<side>.credentialsSection", "client", "my.cnf: the section to read"),
            Setting.text("<side>.credentialsKeys.*", null, "JSON / YAML: the key path of user, password, host, port, database"));

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileCredentialSource.class);

    @Override
    public String name() {
        return "file";
    }

    /** Every format can name the user (a .pgpass line always does); collecting fails clearly when a file does not. */
    @Override
    public java.util.Set<String> provides(String side, Settings settings) {
        return java.util.Set.of("user");
    }

    @Override
    public CollectedCredentials collect(String side, Settings raw, Settings resolved, String step) {
        Path file = Path.of(resolved.require(side + ".credentialsFile", step));
        if (!Files.isReadable(file)) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, "Cannot read the credentials file " + file, null,
                    "Check " + side + ".credentialsFile and that Ferry may read it");
        }
        if (CredentialResolver.readableByOthers(file)) {
            LOG.warn("Credentials file {} can be read by other users: chmod 600 it", file);
        }
        String format = resolved.get(side + ".credentialsFormat", guessFormat(file)).toLowerCase(Locale.ROOT);
        String text = read(file, step);
        String origin = "file:" + file;
        return switch (format) {
            case "pgpass" -> PgpassFile.find(text, resolved, side, origin, step);
            case "my.cnf", "mycnf", "ini" -> fromOptionFile(text, resolved.get(side + ".credentialsSection", "client"), resolved, side, origin, step);
            case "json", "yaml" -> fromTree(text, format, resolved.withPrefix(side + ".credentialsKeys."), resolved, side, origin, step);
            default -> throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown credentials format '" + format + "'", null,
                    "Use pgpass, my.cnf, json or yaml in " + side + ".credentialsFormat");
        };
    }

    private static String guessFormat(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return "json";
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "yaml";
        }
        if (name.endsWith(".cnf") || name.endsWith(".ini")) {
            return "my.cnf";
        }
        return "pgpass";
    }

    private static CollectedCredentials fromOptionFile(String text, String section, Settings settings, String side,
                                                       String origin, String step) {
        Map<String, String> values = new java.util.HashMap<>();
        String current = null;
        for (String rawLine : text.split("\n")) {
            String line = rawLine.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1).strip();
            } else if (section.equals(current) && line.contains("=")) {
                int equals = line.indexOf('=');
                values.put(line.substring(0, equals).strip(), unquote(line.substring(equals + 1).strip()));
            }
        }
        String password = values.get("password");
        if (password == null) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, origin + " has no password in [" + section + "]", null,
                    "Add password= to the section, or name another with " + side + ".credentialsSection");
        }
        String user = values.containsKey("user") ? values.get("user") : settings.require(side + ".user", step);
        return new CollectedCredentials(user, Secret.of(password, origin + " [" + section + "]"), values.get("host"),
                values.containsKey("port") ? Integer.valueOf(values.get("port")) : null, values.get("database"));
    }

    private static CollectedCredentials fromTree(String text, String format, Map<String, String> keys, Settings settings,
                                                 String side, String origin, String step) {
        JsonNode root;
        try {
            root = (format.equals("yaml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper()).readTree(text);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, origin + " is not valid " + format,
                    "parse error at line " + lineOf(e) + " (the parser's own text is not shown: it may quote a secret)", "Fix the file");
        }
        String passwordKey = keys.getOrDefault("password", "password");
        String password = at(root, passwordKey);
        if (password == null) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, origin + " has no value at '" + passwordKey + "'", null,
                    "Name the key path with " + side + ".credentialsKeys.password");
        }
        String user = at(root, keys.getOrDefault("user", "user"));
        if (user == null) {
            user = settings.require(side + ".user", step);
        }
        String port = at(root, keys.getOrDefault("port", "port"));
        return new CollectedCredentials(user, Secret.of(password, origin + "#" + passwordKey), at(root, keys.getOrDefault("host", "host")),
                port == null ? null : Integer.valueOf(port), at(root, keys.getOrDefault("database", "database")));
    }

    /** The text at a dotted path ({@code db.admin.password}), or null. */
    private static String at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : List.of(path.split("\\."))) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    private static String lineOf(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException p && p.getLocation() != null
                ? Integer.toString(p.getLocation().getLineNr()) : "?";
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String read(Path file, String step) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CREDENTIALS, step, "Cannot read " + file, e.getClass().getSimpleName(),
                    "Check the file's permissions");
        }
    }
}
