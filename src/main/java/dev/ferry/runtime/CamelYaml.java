package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a Camel YAML DSL file as a tree, for the checks Ferry makes before Camel starts. */
final class CamelYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CamelYaml() {
    }

    static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "File " + file + " does not exist", null,
                    "Check the path");
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || !root.isArray()) {
                throw new FerryException(ErrorCode.BAD_INPUT, null, file + " is not a Camel YAML DSL file",
                        "the top level must be a list (- route:, - routeTemplate:, - templatedRoute:)",
                        "See examples/ for the shape");
            }
            return root;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, file + " is not valid YAML", e.getMessage(),
                    "Fix the YAML syntax");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
