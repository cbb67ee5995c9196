package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's migration: a Camel YAML DSL file with one {@code templatedRoute} naming a pipeline
 * ({@code routeTemplateRef}) and its parameters, plus any routes of the user's own that replaced
 * steps point at.
 */
public record MigrationFile(Path file, String pipelineId, String name, Map<String, String> parameters) {

    public static MigrationFile read(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        List<JsonNode> templated = new java.util.ArrayList<>();
        for (JsonNode entry : CamelYaml.read(absolute)) {
            if (entry.has("templatedRoute")) {
                templated.add(entry.get("templatedRoute"));
            }
        }
        if (templated.size() != 1) {
            throw new FerryException(ErrorCode.BAD_INPUT, null,
                    absolute + " has " + templated.size() + " templatedRoute entries",
                    "a migration file instantiates exactly one pipeline",
                    "Keep one '- templatedRoute:' with routeTemplateRef set to a pipeline id");
        }
        JsonNode route = templated.get(0);
        String pipeline = CamelYaml.text(route, "routeTemplateRef");
        if (pipeline == null || pipeline.isBlank()) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, absolute + " names no pipeline",
                    "templatedRoute.routeTemplateRef is missing", "Set routeTemplateRef, for example postgres-logical");
        }
        String name = CamelYaml.text(route, "routeId");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (JsonNode p : route.path("parameters")) {
            String key = CamelYaml.text(p, "name");
            if (key == null) {
                throw new FerryException(ErrorCode.BAD_INPUT, null, absolute + " has a parameter without a name",
                        null, "Write each parameter as '- name: key' and 'value: ...'");
            }
            parameters.put(key, CamelYaml.text(p, "value"));
        }
        return new MigrationFile(absolute, pipeline, name == null ? pipeline : name, parameters);
    }
}
