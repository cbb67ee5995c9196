package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A migration file's twin that instantiates another pipeline with the same parameters and routes,
 * written once into the state folder (0600: the user's file may hold a literal secret) so that its run
 * is journaled, listed and resumed like any other. {@code ferry backups restore} runs a backup
 * migration's restore pipeline this way.
 */
public final class DerivedMigrationFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private DerivedMigrationFile() {
    }

    /** Writes the twin of {@code file} with {@code pipelineId} and the route id {@code <name><nameSuffix>} into {@code folder}. */
    public static Path write(Path file, String pipelineId, String nameSuffix, Path folder) {
        MigrationFile migration = MigrationFile.read(file);
        JsonNode root = CamelYaml.read(migration.file());
        for (JsonNode entry : root) {
            if (entry.has("templatedRoute")) {
                ObjectNode route = (ObjectNode) entry.get("templatedRoute");
                route.put("routeTemplateRef", pipelineId);
                route.put("routeId", migration.name() + nameSuffix);
            }
        }
        Path twin = folder.resolve(migration.name() + nameSuffix + ".camel.yaml");
        try {
            Files.createDirectories(folder);
            Path written = Files.createTempFile(folder, ".derived-", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.write(written, YAML.writeValueAsBytes(root));
            Files.move(written, twin, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Could not write " + twin, e.getMessage(),
                    "Check that the state folder (--state-dir) is writable");
        }
        return twin;
    }
}
