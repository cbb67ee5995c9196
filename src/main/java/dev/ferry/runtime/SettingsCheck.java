package dev.ferry.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.Engine;
import dev.ferry.engine.Engines;
import dev.ferry.spec.Setting;
import dev.ferry.spec.Specs;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.StepUri;
import dev.ferry.spec.Suggestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ferry validate} and {@code ferry run} check before anything connects: every setting
 * a migration gives is one the pipeline or a step declares (a typo such as {@code sourcee.host}
 * would otherwise be ignored), its value has the declared type, every step id named by
 * {@code step.<id>} is the pipeline's, and every step endpoint resolves: a {@code ferry:} step
 * that exists with options it declares, a {@code direct:} route that some file defines.
 */
final class SettingsCheck {

    private static final Pattern PARAMETER_NAME = Pattern.compile("^\\s*-\\s*name:\\s*[\"']?([^\"'#\\s]+)[\"']?\\s*(#.*)?$");

    private final MigrationFile migration;
    private final PipelineDefinition pipeline;
    private final PipelineCatalog catalog;
    private final Specs specs = Specs.loaded();
    private final Map<String, Integer> lines;
    private final Settings settings;
    private final List<String> problems = new ArrayList<>();

    private SettingsCheck(MigrationFile migration, PipelineDefinition pipeline, PipelineCatalog catalog, Settings settings) {
        this.migration = migration;
        this.settings = settings;
        this.pipeline = pipeline;
        this.catalog = catalog;
        this.lines = parameterLines(migration.file());
    }

    static void check(MigrationFile migration, PipelineDefinition pipeline, PipelineCatalog catalog, Map<String, String> sets,
                      Settings settings) {
        SettingsCheck check = new SettingsCheck(migration, pipeline, catalog, settings);
        migration.parameters().keySet().forEach(key -> check.name(key, check.where(key)));
        sets.keySet().forEach(key -> check.name(key, "--set " + key));
        check.values(sets);
        check.stepEndpoints(sets);
        if (!check.problems.isEmpty()) {
            throw new FerryException(ErrorCode.BAD_INPUT, null,
                    check.problems.size() + " setting(s) of " + migration.file().getFileName() + " are wrong",
                    String.join("; ", check.problems),
                    "Fix them (names are case-sensitive; 'ferry plan' lists the steps, README.md \"Settings\" the settings)");
        }
    }

    private void name(String key, String where) {
        String name = key.startsWith(PreparedMigration.REHEARSAL_PREFIX) ? key.substring(PreparedMigration.REHEARSAL_PREFIX.length()) : key;
        if (name.startsWith(PipelineDefinition.STEP_PARAMETER_PREFIX)) {
            String id = name.substring(PipelineDefinition.STEP_PARAMETER_PREFIX.length());
            if (!pipeline.steps().contains(id)) {
                List<String> known = pipeline.steps().stream().map(PipelineDefinition::stepParameter).toList();
                problems.add(where + ": " + key + " names no step of pipeline " + pipeline.id() + Suggestion.didYouMean(name, known)
                        + "; its steps are " + pipeline.steps());
            }
            return;
        }
        if (known(name) && !engineSetting(name, where)) {
            return;
        }
        if (!known(name)) {
            Set<String> names = new TreeSet<>(specs.knownNames());
            names.addAll(pipeline.parameters().keySet());
            problems.add(where + ": " + key + " is not a setting Ferry knows" + Suggestion.didYouMean(name, names));
        }
    }

    /**
     * Whether a {@code <side>.} setting that only engines declare (TLS) is one the side's own engine
     * reads: {@code source.sslMode} on a PostgreSQL source would otherwise be ignored.
     */
    private boolean engineSetting(String name, String where) {
        int dot = name.indexOf('.');
        if (dot < 0 || !Setting.SIDES.contains(name.substring(0, dot)) || pipeline.parameters().containsKey(name)) {
            return true;
        }
        String side = name.substring(0, dot);
        List<Setting> declaredByEngines = Engines.all().stream().flatMap(e -> e.settings().stream())
                .filter(s -> s.matches(name)).toList();
        if (declaredByEngines.isEmpty()) {
            return true;
        }
        String engineName = settings.get(side + ".engine", null);
        if (engineName == null) {
            return true;
        }
        Engine engine;
        try {
            engine = Engines.forName(engineName, null);
        } catch (FerryException unknownEngine) {
            return true;
        }
        if (engine.settings().stream().anyMatch(s -> s.matches(name))) {
            return true;
        }
        List<String> own = engine.settings().stream().map(s -> s.forSide(side).key()).toList();
        problems.add(where + ": " + name + " is not a setting of a " + engine.name() + " " + side
                + Suggestion.didYouMean(name, own) + "; its TLS settings are " + own);
        return false;
    }

    private boolean known(String name) {
        return pipeline.parameters().containsKey(name) || specs.setting(name).isPresent();
    }

    private void values(Map<String, String> sets) {
        for (Map.Entry<String, String> entry : settings.forDisplay().entrySet()) {
            String key = entry.getKey();
            Optional<Setting> setting = specs.setting(key);
            if (setting.isEmpty()) {
                continue;
            }
            String value = settings.find(key).orElse(null);
            String problem = setting.get().problem(value);
            if (problem != null) {
                String where = sets.containsKey(key) ? "--set " + key : where(key);
                problems.add(where + ": " + key + " is '" + value + "', which " + problem);
            }
        }
    }

    private void stepEndpoints(Map<String, String> sets) {
        Set<String> directRoutes = null;
        for (String id : pipeline.steps()) {
            String key = PipelineDefinition.stepParameter(id);
            Optional<String> uri = settings.find(key);
            if (uri.isEmpty() || uri.get().contains("{{")) {
                continue;
            }
            String where = sets.containsKey(key) ? "--set " + key : where(key);
            StepUri parsed = StepUri.parse(uri.get());
            if ("ferry".equals(parsed.scheme())) {
                ferryStep(where, key, parsed);
            } else if ("direct".equals(parsed.scheme())) {
                if (directRoutes == null) {
                    directRoutes = directRoutes();
                }
                if (!directRoutes.contains(parsed.kind())) {
                    problems.add(where + ": " + key + " is " + uri.get() + ", but no route starts from direct:" + parsed.kind()
                            + Suggestion.didYouMean(parsed.kind(), directRoutes)
                            + " (add the route to the migration file or to routes/)");
                }
            }
        }
    }

    private void ferryStep(String where, String key, StepUri uri) {
        Optional<StepSpec> spec = specs.step(uri.kind());
        if (spec.isEmpty()) {
            problems.add(where + ": " + key + " names no Ferry step ferry:" + uri.kind() + Suggestion.didYouMean(uri.kind(), specs.steps().keySet()));
            return;
        }
        spec.get().optionProblems(uri.options()).forEach(problem -> problems.add(where + ": " + problem));
    }

    /** The {@code direct:} endpoints routes start from, in the migration file and in routes/. */
    private Set<String> directRoutes() {
        Set<String> routes = new HashSet<>();
        List<Path> files = new ArrayList<>(catalog.routeFiles());
        files.add(migration.file());
        for (Path file : files) {
            for (JsonNode entry : CamelYaml.read(file)) {
                String from = entry.path("route").path("from").path("uri").asText("");
                StepUri uri = StepUri.parse(from);
                if ("direct".equals(uri.scheme())) {
                    routes.add(uri.kind());
                }
            }
        }
        return routes;
    }

    private String where(String key) {
        Integer line = lines.get(key);
        return migration.file().getFileName() + (line == null ? "" : ":" + line);
    }

    /** The line each {@code - name: key} is on, for messages that point at it. */
    private static Map<String, Integer> parameterLines(Path file) {
        Map<String, Integer> lines = new java.util.HashMap<>();
        try {
            List<String> text = Files.readAllLines(file);
            for (int i = 0; i < text.size(); i++) {
                Matcher m = PARAMETER_NAME.matcher(text.get(i));
                if (m.matches()) {
                    lines.putIfAbsent(m.group(1), i + 1);
                }
            }
        } catch (IOException e) {
            // the file was read a moment ago; without lines the messages still name the file
        }
        return lines;
    }
}
