package dev.ferry.pgbackrest;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.storage.ObjectStoreSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code pgbackrest/pgbackrest.conf.template} into the configuration file: mode 0600,
 * owned by the user pgBackRest runs as, written through a private temporary file and moved into
 * place so no other user ever sees it half written. A line whose placeholder has no value is left
 * out. A private CA file is copied next to the configuration so that user can read it.
 */
public final class PgBackRestConfig {

    public static final String TEMPLATE = "pgbackrest/pgbackrest.conf.template";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9.]+)}");

    /** Where the database cluster is, for the stanza section. */
    public record Cluster(Path dataDirectory, Integer port, String socketPath, String user) {
    }

    private PgBackRestConfig() {
    }

    /** The template's text with every placeholder replaced; lines with an empty value dropped. */
    static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            Matcher matcher = PLACEHOLDER.matcher(line);
            StringBuilder rendered = new StringBuilder();
            boolean keep = true;
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null || value.isEmpty()) {
                    keep = false;
                    break;
                }
                if (value.contains("\n")) {
                    throw new IllegalArgumentException("value of " + matcher.group(1) + " spans lines");
                }
                matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
            }
            if (keep) {
                matcher.appendTail(rendered);
                out.append(rendered).append('\n');
            }
        }
        return out.toString().replaceAll("\n+$", "\n");
    }

    /** The template's values for this store, repository and cluster (the keys included). */
    static Map<String, String> values(ObjectStoreSettings store, PgBackRestOptions options, Cluster cluster, Path caFile) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("repo.path", options.repoPath());
        values.put("s3.bucket", store.bucket());
        if (store.endpoint() != null) {
            if (!"https".equalsIgnoreCase(store.endpoint().getScheme())) {
                throw new FerryException(ErrorCode.BAD_INPUT, null, "pgBackRest reaches S3 over HTTPS only",
                        "storage.endpoint is " + store.endpoint() + " (pgBackRest 2.45 expects protocol 'https')",
                        "Give an https:// endpoint for the object store");
            }
            values.put("s3.host", store.endpoint().getHost());
            values.put("s3.port", store.endpoint().getPort() > 0 ? Integer.toString(store.endpoint().getPort()) : null);
        } else {
            values.put("s3.host", "s3." + store.region() + ".amazonaws.com");
        }
        values.put("s3.region", store.region());
        values.put("s3.uriStyle", store.pathStyle() ? "path" : "host");
        if (store.accessKey() != null) {
            values.put("s3.key", store.accessKey());
            values.put("s3.keySecret", store.secretKey().reveal());
        }
        values.put("tls.caFile", caFile == null ? null : caFile.toString());
        values.put("tls.verify", store.verifyTls() ? null : "n");
        values.put("processMax", Integer.toString(options.processMax()));
        values.put("compressType", options.compressType());
        values.put("logPath", options.logPath().toString());
        values.put("lockPath", options.lockPath().toString());
        values.put("stanza", PgBackRestOptions.STANZA);
        values.put("pg.path", cluster.dataDirectory().toString());
        values.put("pg.port", cluster.port() == null ? null : cluster.port().toString());
        values.put("pg.socketPath", cluster.socketPath());
        values.put("pg.user", cluster.user());
        return values;
    }

    /**
     * Writes the configuration for {@code cluster} to {@code configFile} (0600, owned by the
     * options' OS user) and prepares the log and lock folders. Returns the file.
     */
    public static Path write(Path home, Path configFile, ObjectStoreSettings store, PgBackRestOptions options, Cluster cluster,
                             String step) {
        Path templateFile = home.resolve(TEMPLATE);
        try {
            String template = Files.readString(templateFile, StandardCharsets.UTF_8);
            Path folder = configFile.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            Path caFile = null;
            if (store.caBundle() != null) {
                caFile = folder.resolve(configFile.getFileName() + ".ca.pem");
                Files.copy(store.caBundle(), caFile, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(caFile, PosixFilePermissions.fromString("rw-r--r--"));
            }
            String text = render(template, values(store, options, cluster, caFile));
            Path temporary = Files.createTempFile(folder, ".pgbackrest-", ".conf",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                giveTo(options.osUser(), temporary);
                Files.move(temporary, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            for (Path own : List.of(options.logPath(), options.lockPath())) {
                Files.createDirectories(own);
                giveTo(options.osUser(), own);
            }
            return configFile;
        } catch (IOException | IllegalArgumentException e) {
            throw new FerryException(ErrorCode.INTERNAL, step, "Could not write the pgBackRest configuration " + configFile,
                    e.getMessage(), "Check that " + templateFile + " exists and that " + configFile.getParent() + " is writable");
        }
    }

    /** Makes {@code path} belong to {@code user} (and its group) when a user is named. */
    public static void giveTo(String user, Path path) throws IOException {
        if (user == null) {
            return;
        }
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(lookup.lookupPrincipalByName(user));
        view.setGroup(lookup.lookupPrincipalByGroupName(user));
    }
}
