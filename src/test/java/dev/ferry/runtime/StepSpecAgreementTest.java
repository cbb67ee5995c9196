package dev.ferry.runtime;

import dev.ferry.spec.Setting;
import dev.ferry.spec.Specs;
import dev.ferry.spec.StepContract;
import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The specs are where a step's contract and a setting's default live; the pipelines' parameters
 * and the README's tables say the same or this fails.
 */
class StepSpecAgreementTest {

    private static final Path HOME = MigrationBed.HOME;
    private static final Pattern VARIABLE = Pattern.compile("ferry\\.[a-z]+(\\.[a-z]+)?");

    /** Pipeline defaults that differ from the spec's on purpose, each for the reason given. */
    private static final Map<String, String> DELIBERATE = Map.ofEntries(
            Map.entry("mysql-logical/source.engine", "a MySQL pipeline"),
            Map.entry("mysql-logical/target.engine", "a MySQL pipeline"),
            Map.entry("mysql-cutover/source.engine", "a MySQL pipeline"),
            Map.entry("mysql-cutover/target.engine", "a MySQL pipeline"),
            Map.entry("mysql-logical-to-everest/source.engine", "a MySQL pipeline"),
            Map.entry("postgres-physical/versionPolicy", "a physical backup restores only into its own major version"),
            Map.entry("postgres-physical-to-everest/versionPolicy", "a physical backup restores only into its own major version"),
            Map.entry("postgres-physical/smoke.against", "a physical backup carries no snapshot figures"),
            Map.entry("postgres-physical-to-everest/smoke.against", "a physical backup carries no snapshot figures"),
            Map.entry("mysql-logical/dump.globals", "MySQL users and grants are not carried yet"),
            Map.entry("mysql-cutover/dump.globals", "MySQL users and grants are not carried yet"),
            Map.entry("mysql-logical-to-everest/dump.globals", "MySQL users and grants are not carried yet"),
            Map.entry("mysql-backup/source.engine", "a MySQL pipeline"),
            Map.entry("mysql-backup/dump.globals", "MySQL users and grants are not carried yet"),
            Map.entry("mysql-backup-restore/source.engine", "a MySQL pipeline"),
            Map.entry("mysql-backup-restore/target.engine", "a MySQL pipeline"),
            Map.entry("mysql-backup-restore/dump.globals", "MySQL users and grants are not carried yet"),
            Map.entry("mysql-backup-addon-restore/source.engine", "a MySQL pipeline"),
            Map.entry("mysql-backup-addon-restore/target.engine", "a MySQL pipeline"),
            Map.entry("mysql-backup-addon-restore/dump.globals", "MySQL users and grants are not carried yet"),
            Map.entry("mysql-online/source.engine", "a MySQL pipeline"),
            Map.entry("mysql-online/target.engine", "a MySQL pipeline"),
            Map.entry("mysql-online/dump.globals", "MySQL users and grants are not carried yet"));

    private static PipelineCatalog catalog() {
        return PipelineCatalog.load(HOME);
    }

    private static Settings defaults(PipelineDefinition pipeline) {
        Map<String, String> values = new LinkedHashMap<>();
        pipeline.parameters().values().forEach(p -> {
            if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            }
        });
        return new Settings(values);
    }

    @Test
    void everyPipelineParameterIsADeclaredSettingWhoseDefaultIsTheSpecsOrADeliberateOne() {
        List<String> problems = new ArrayList<>();
        for (PipelineDefinition pipeline : catalog().all().values()) {
            for (PipelineDefinition.Parameter parameter : pipeline.parameters().values()) {
                if (parameter.name().startsWith(PipelineDefinition.STEP_PARAMETER_PREFIX)) {
                    continue;
                }
                Optional<Setting> setting = Specs.loaded().setting(parameter.name());
                if (setting.isEmpty()) {
                    problems.add(pipeline.id() + ": " + parameter.name() + " is declared by no spec");
                    continue;
                }
                String value = parameter.defaultValue();
                if (value == null || value.isEmpty()) {
                    continue;
                }
                if (setting.get().problem(value) != null) {
                    problems.add(pipeline.id() + ": " + parameter.name() + " defaults to '" + value + "', which " + setting.get().problem(value));
                }
                String specDefault = setting.get().defaultValue();
                // a spec without a default derives one (the engine's importer, say): a pipeline may fix it
                if (specDefault != null && !value.equals(specDefault) && !DELIBERATE.containsKey(pipeline.id() + "/" + parameter.name())) {
                    problems.add(pipeline.id() + ": " + parameter.name() + " defaults to '" + value + "', its spec to '" + specDefault + "'");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyStepParameterDescriptionNamesExactlyWhatItsStepReadsAndSets() {
        List<String> problems = new ArrayList<>();
        for (PipelineDefinition pipeline : catalog().all().values()) {
            Settings settings = defaults(pipeline);
            for (String step : pipeline.steps()) {
                PipelineDefinition.Parameter parameter = pipeline.parameters().get(PipelineDefinition.stepParameter(step));
                StepContract contract = RunPlan.contractOf(pipeline, step, settings);
                Set<String> described = variables(parameter.description() == null ? "" : parameter.description());
                Set<String> declared = new TreeSet<>(contract.reads());
                declared.addAll(contract.sets());
                if (!described.equals(declared)) {
                    problems.add(pipeline.id() + " step." + step + ": the description names " + described + ", the spec " + declared);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theReadmeStepTableIsTheLogicalPipelinesContracts() throws IOException {
        PipelineDefinition pipeline = catalog().get("postgres-logical");
        Settings settings = defaults(pipeline);
        List<String> readme = Files.readAllLines(HOME.resolve("README.md"));
        List<String> rows = readme.subList(readme.indexOf("## Steps and their contracts"), readme.indexOf("### Replacing a step")).stream()
                .filter(line -> line.startsWith("| ") && line.contains("`ferry:")).toList();
        List<String> seen = new ArrayList<>();
        for (String row : rows) {
            String[] cells = row.split("\\|");
            String step = cells[1].trim();
            if (!pipeline.steps().contains(step)) {
                continue;
            }
            seen.add(step);
            StepContract contract = RunPlan.contractOf(pipeline, step, settings);
            assertThat(variables(cells[3])).as("README reads of " + step).isEqualTo(new TreeSet<>(contract.reads()));
            assertThat(variables(cells[4])).as("README sets of " + step).isEqualTo(new TreeSet<>(contract.sets()));
            assertThat(cells[2]).as("README default endpoint of " + step).contains(pipeline.parameters()
                    .get(PipelineDefinition.stepParameter(step)).defaultValue());
        }
        assertThat(seen).containsExactlyElementsOf(pipeline.steps());
    }

    @Test
    void everySettingTheReadmeNamesIsDeclared() throws IOException {
        List<String> lines = Files.readAllLines(HOME.resolve("README.md"));
        int start = lines.indexOf("## Settings");
        List<String> undeclared = new ArrayList<>();
        Pattern name = Pattern.compile("`([a-zA-Z][a-zA-Z0-9.<>*-]*)`");
        for (String line : lines.subList(start, lines.size())) {
            if (line.startsWith("## ") && !line.equals("## Settings")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = name.matcher(line.split("\\|")[1]);
            while (m.find()) {
                String setting = m.group(1).replace("<name>", "x");
                if (!setting.equals("target.*") && Specs.loaded().setting(setting).isEmpty()) {
                    undeclared.add(setting);
                }
            }
        }
        assertThat(undeclared).isEmpty();
    }

    private static Set<String> variables(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
