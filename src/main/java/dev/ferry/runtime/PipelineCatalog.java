package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The pipeline templates under {@code pipelines/}, and the step routes under {@code routes/}. */
public final class PipelineCatalog {

    private final Path home;
    private final Map<String, PipelineDefinition> pipelines;

    private PipelineCatalog(Path home, Map<String, PipelineDefinition> pipelines) {
        this.home = home;
        this.pipelines = pipelines;
    }

    public static PipelineCatalog load(Path home) {
        Map<String, PipelineDefinition> pipelines = new TreeMap<>();
        for (Path file : yamlFiles(home.resolve("pipelines"))) {
            for (JsonNode entry : CamelYaml.read(file)) {
                JsonNode template = entry.get("routeTemplate");
                if (template != null) {
                    PipelineDefinition pipeline = parse(template, file);
                    pipelines.put(pipeline.id(), pipeline);
                }
            }
        }
        return new PipelineCatalog(home, pipelines);
    }

    public PipelineDefinition get(String id) {
        PipelineDefinition pipeline = pipelines.get(id);
        if (pipeline == null) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "No pipeline '" + id + "'",
                    "pipelines/ under " + home + " holds " + pipelines.keySet(),
                    "Set routeTemplateRef to one of those");
        }
        return pipeline;
    }

    public Map<String, PipelineDefinition> all() {
        return pipelines;
    }

    public List<Path> pipelineFiles() {
        return yamlFiles(home.resolve("pipelines"));
    }

    public List<Path> routeFiles() {
        return yamlFiles(home.resolve("routes"));
    }

    private static PipelineDefinition parse(JsonNode template, Path file) {
        String id = CamelYaml.text(template, "id");
        Map<String, PipelineDefinition.Parameter> parameters = new LinkedHashMap<>();
        for (JsonNode p : template.path("parameters")) {
            String name = CamelYaml.text(p, "name");
            String defaultValue = CamelYaml.text(p, "defaultValue");
            // an empty default satisfies Camel; Ferry still requires the value unless a credential source finds it
            boolean required = p.has("required") ? p.get("required").asBoolean() : defaultValue == null || defaultValue.isEmpty();
            parameters.put(name, new PipelineDefinition.Parameter(name, defaultValue, required,
                    CamelYaml.text(p, "description")));
        }
        List<String> steps = new ArrayList<>();
        collectSteps(template.path("route").path("from").path("steps"), steps);
        return new PipelineDefinition(id, CamelYaml.text(template, "description"), file, List.copyOf(steps), parameters);
    }

    /** Step ids in the order they run, also inside doTry and its doFinally (the cutover pipelines release and notify there). */
    private static void collectSteps(JsonNode processors, List<String> steps) {
        for (JsonNode processor : processors) {
            JsonNode definition = processor.get("step");
            if (definition != null && definition.has("id")) {
                steps.add(definition.get("id").asText());
            }
            JsonNode doTry = processor.get("doTry");
            if (doTry != null) {
                collectSteps(doTry.path("steps"), steps);
                collectSteps(doTry.path("doFinally").path("steps"), steps);
            }
        }
    }

    private static List<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot list " + folder, e.getMessage(), "Check permissions");
        }
    }
}
