package dev.ferry.runtime;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.CredentialSources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A migration file read, merged with its pipeline's defaults and {@code --set}, planned and
 * validated: everything that can be checked without touching a server. Bad input fails here,
 * with exit code 2, before any heavy work.
 */
public record PreparedMigration(MigrationFile migration, PipelineCatalog catalog, PipelineDefinition pipeline,
                                Settings settings, RunPlan plan) {

    /** The setting that names an existing artifact, for runs that start after the upload. */
    public static final String ARTIFACT_SETTING = "artifact";

    /** The prefix of the settings a rehearsal uses instead of the production ones ({@code rehearsal.target.host}). */
    public static final String REHEARSAL_PREFIX = dev.ferry.spec.Specs.REHEARSAL_PREFIX;

    public static PreparedMigration prepare(Path migrationFile, Path home, Map<String, String> sets, String from,
                                            String until, Map<String, JournalEvent> finished) {
        return prepare(migrationFile, home, sets, from, until, finished, false);
    }

    /** @param rehearsal apply the {@code rehearsal.<key>} settings over {@code <key>} (a {@code --set <key>} still wins) */
    public static PreparedMigration prepare(Path migrationFile, Path home, Map<String, String> sets, String from,
                                            String until, Map<String, JournalEvent> finished, boolean rehearsal) {
        for (String key : sets.keySet()) {
            if (Settings.isSecretKey(key)) {
                throw new FerryException(ErrorCode.BAD_INPUT, null, "--set " + key + " would put a secret on the command line",
                        "command lines are visible to every user of the machine (ps) and land in shell history",
                        "Set " + key + " in the migration file as a placeholder such as {{env:NAME}}, or use " + key + "File");
            }
        }
        MigrationFile migration = MigrationFile.read(migrationFile);
        PipelineCatalog catalog = PipelineCatalog.load(home);
        PipelineDefinition pipeline = catalog.get(migration.pipelineId());
        Map<String, String> merged = new LinkedHashMap<>();
        pipeline.parameters().values().forEach(p -> {
            if (p.defaultValue() != null) {
                merged.put(p.name(), p.defaultValue());
            }
        });
        merged.putAll(migration.parameters());
        merged.putAll(sets);
        if (rehearsal) {
            rehearse(merged, sets, migrationFile);
        }
        Settings settings = new Settings(merged);
        SettingsCheck.check(migration, pipeline, catalog, sets, settings);
        Set<String> providedByCredentials = providedByCredentialSources(settings);
        List<String> missing = new ArrayList<>();
        pipeline.parameters().values().stream()
                .filter(p -> p.required() && settings.find(p.name()).isEmpty() && !providedByCredentials.contains(p.name()))
                .forEach(p -> missing.add(p.name() + (p.description() == null ? "" : " (" + p.description() + ")")));
        if (!missing.isEmpty()) {
            throw new FerryException(ErrorCode.MISSING_INPUT, null,
                    "The migration does not set what pipeline " + pipeline.id() + " requires",
                    "missing " + String.join(", ", missing), "Add them to the parameters of " + migrationFile.getFileName());
        }
        Set<String> givenUpFront = new HashSet<>();
        if (settings.find(ARTIFACT_SETTING).isPresent()) {
            givenUpFront.add(Variables.ARTIFACT);
        }
        PlanValidator.validate(pipeline, from, until);
        RunPlan plan = RunPlan.of(pipeline, settings, from, until, finished, givenUpFront);
        PlanValidator.validate(plan);
        return new PreparedMigration(migration, catalog, pipeline, settings, plan);
    }

    private static void rehearse(Map<String, String> merged, Map<String, String> sets, Path migrationFile) {
        Map<String, String> overrides = new LinkedHashMap<>();
        merged.forEach((key, value) -> {
            if (key.startsWith(REHEARSAL_PREFIX) && !sets.containsKey(key.substring(REHEARSAL_PREFIX.length()))) {
                overrides.put(key.substring(REHEARSAL_PREFIX.length()), value);
            }
        });
        if (overrides.keySet().stream().noneMatch(key -> key.startsWith("target."))
                && sets.keySet().stream().noneMatch(key -> key.startsWith("target."))) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "A rehearsal needs a scratch target",
                    migrationFile.getFileName() + " sets no rehearsal.target.* setting, so the rehearsal would import into"
                            + " the production target",
                    "Add rehearsal.target.host (and .port, .database, .password...) for a test server, or --set target.host=...");
        }
        merged.putAll(overrides);
    }

    /** The settings each side's credential source ({@code <side>.credentials}) fills in itself, such as a Juju unit's host. */
    private static Set<String> providedByCredentialSources(Settings settings) {
        Set<String> provided = new HashSet<>();
        for (String side : List.of("source", "target")) {
            String name = settings.get(side + ".credentials", CredentialSources.DEFAULT);
            CredentialSources.named(name, side, null).provides(side, settings).forEach(key -> provided.add(side + "." + key));
        }
        return provided;
    }
}
