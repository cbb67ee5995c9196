package dev.ferry.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pipeline template as read from {@code pipelines/*.camel.yaml}: its id, the ordered step ids,
 * and the declared parameters. A step's endpoint is the parameter {@code step.<id>}.
 */
public record PipelineDefinition(String id, String description, Path file, List<String> steps,
                                 Map<String, Parameter> parameters) {

    public static final String STEP_PARAMETER_PREFIX = "step.";

    public record Parameter(String name, String defaultValue, boolean required, String description) {
    }

    public static String stepParameter(String stepId) {
        return STEP_PARAMETER_PREFIX + stepId;
    }
}
