package dev.ferry.runtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Camel YAML DSL file under pipelines/, routes/ and examples/ validates against the JSON schema that
 * camel-yaml-dsl ships (schema/camelYamlDsl.json): the schema Kaoto and Camel's editor tooling check with, so
 * the files open there without errors. The schema is read from the camel-yaml-dsl jar on the classpath, so it
 * always matches the Camel version Ferry runs.
 */
class CamelYamlSchemaTest {

    static final Path HOME = Path.of(System.getProperty("ferry.home", ".")).toAbsolutePath().normalize();
    static final List<String> FOLDERS = List.of("pipelines", "routes", "examples");
    static final String SCHEMA_RESOURCE = "schema/camelYamlDsl.json";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Schema SCHEMA = loadSchema();

    @Test
    void everyCamelYamlFileValidatesAgainstTheCamelYamlDslSchema() {
        List<Path> validated = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path file : yamlFiles()) {
            List<JsonNode> documents = read(file);
            if (kubernetesManifest(documents)) {
                continue;
            }
            validated.add(file);
            // Camel's YAML loader reads exactly one document per file (snakeyaml's getSingleNode): a second
            // one after "---" would pass a per-document schema check and then fail when Ferry loads the file.
            if (documents.size() != 1) {
                failures.add(HOME.relativize(file) + ": " + documents.size() + " YAML documents; Camel reads one per file");
                continue;
            }
            for (Error error : SCHEMA.validate(documents.get(0))) {
                failures.add(HOME.relativize(file) + ": " + error);
            }
        }

        assertThat(failures).as("Camel YAML DSL schema errors").isEmpty();
        assertThat(validated).as("files validated").hasSizeGreaterThanOrEqualTo(20)
                .extracting(f -> HOME.relativize(f).toString())
                .contains("pipelines/postgres-logical.camel.yaml", "routes/smoke-test-counts-only.camel.yaml",
                        "examples/postgres-to-postgres/migration.camel.yaml");
    }

    @Test
    void onlyKubernetesManifestsAreSkippedAndNoCamelYamlFileIsAmongThem() {
        List<String> skipped = yamlFiles().stream()
                .filter(f -> kubernetesManifest(read(f)))
                .map(f -> HOME.relativize(f).toString())
                .toList();

        assertThat(skipped).isNotEmpty().allSatisfy(name -> assertThat(name).doesNotEndWith(".camel.yaml"))
                .contains("examples/everest/ferry-postgresql-logical.yaml");
    }

    // Proves the schema check can fail: a misspelled element, a parameter list given as a string, a misspelled
    // parameter field, a required field left out, and an unknown processor inside a route's steps.
    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
                Arguments.of("- routeTemplat:\n    id: x\n", "property 'routeTemplat' is not defined"),
                Arguments.of("- routeTemplate:\n    id: x\n    parameters: source.host\n",
                        "/0/routeTemplate/parameters: string found, array expected"),
                Arguments.of("- templatedRoute:\n    routeTemplateRef: x\n    parameters:\n      - name: source.host\n        vale: db\n",
                        "property 'vale' is not defined"),
                Arguments.of("- templatedRoute:\n    routeId: x\n", "required property 'routeTemplateRef' not found"),
                Arguments.of("- route:\n    from:\n      uri: direct:x\n      steps:\n        - too: ferry:dump\n",
                        "/0/route/from/steps/0: property 'too' is not defined"));
    }

    @ParameterizedTest
    @MethodSource("brokenDocuments")
    void aBrokenDocumentIsRejected(String yaml, String expected) throws IOException {
        List<Error> errors = SCHEMA.validate(YAML.readTree(yaml));

        assertThat(errors).as(yaml).extracting(Error::toString).anySatisfy(e -> assertThat(e).contains(expected));
    }

    static Schema loadSchema() {
        try (InputStream in = CamelYamlSchemaTest.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            assertThat(in).as(SCHEMA_RESOURCE + " from camel-yaml-dsl on the test classpath").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> yamlFiles() {
        List<Path> files = new ArrayList<>();
        for (String folder : FOLDERS) {
            try (Stream<Path> walk = Files.walk(HOME.resolve(folder))) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    // One tree per YAML document ("---"); a MappingIterator would unwrap a top-level list into its elements.
    static List<JsonNode> read(Path file) {
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            while (parser.nextToken() != null) {
                documents.add(YAML.readTree(parser));
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Files for kubectl rather than Camel (Everest's DataImporter resources): each document is a mapping with
     * apiVersion and kind, where a Camel YAML DSL file is a list. Camel's own Kubernetes forms (camel.apache.org
     * Integration, Pipe, Kamelet) are not skipped: the schema does not describe them, so one would fail here
     * and this test would have to learn it.
     */
    static boolean kubernetesManifest(List<JsonNode> documents) {
        return !documents.isEmpty() && documents.stream().allMatch(d -> d.isObject() && d.hasNonNull("kind")
                && d.path("apiVersion").isTextual() && !d.path("apiVersion").asText().startsWith("camel.apache.org/"));
    }
}
