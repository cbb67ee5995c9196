package dev.ferry.cli;

import dev.ferry.testing.MigrationBed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code ferry} launcher, in a Ferry home of its own whose jar is built here from the
 * compiled classes (the jar Maven packages does not exist yet while the tests run): a failed run
 * keeps no class list, a successful demo does, the next launch builds the archive from it in the
 * background, and the launch after maps it.
 */
class LauncherClassDataSharingTest {

    @TempDir
    Path home;

    @Test
    void aSuccessfulRunLeavesTheClassListThatTheNextLaunchTurnsIntoTheArchiveLaterLaunchesMap() throws Exception {
        prepareHome();
        Path cds = home.resolve("target/cds");

        Launch failed = launch(Map.of(), "run", home.resolve("no-such-migration.camel.yaml").toString());
        assertThat(failed.exitCode()).as(failed.output()).isEqualTo(2);
        assertThat(filesIn(cds)).as("a run that stopped early keeps no class list").noneMatch(name -> name.endsWith(".classlist")
                || name.endsWith(".recording"));

        Launch demo = launch(Map.of(), "demo", "--scale", "1", "--state-dir", home.resolve("demo-state").toString());
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(filesIn(cds)).as("the demo passed: its class list is kept").anyMatch(name -> name.endsWith(".classlist"));

        Launch starts = launch(Map.of(), "--version");
        assertThat(starts.exitCode()).as(starts.output()).isZero();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (filesIn(cds).stream().noneMatch(name -> name.endsWith(".jsa")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertThat(filesIn(cds)).as("the archive, built in the background and moved into place whole")
                .anyMatch(name -> name.endsWith(".jsa")).noneMatch(name -> name.endsWith(".tmp"));
        while (Files.exists(cds) && filesIn(cds).stream().anyMatch(name -> name.endsWith(".building"))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(filesIn(cds)).as("the builder cleaned up after itself").containsExactly(
                filesIn(cds).stream().filter(name -> name.endsWith(".jsa")).findFirst().orElseThrow());

        // -Xshare:on makes the JVM refuse to start rather than go on without the archive
        Launch mapped = launch(Map.of("FERRY_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC -Xshare:on -Xlog:class+load=info:stdout"),
                "--version");
        assertThat(mapped.exitCode()).as(mapped.output()).isZero();
        assertThat(mapped.stdout()).containsPattern("dev\\.ferry\\.cli\\.FerryCli source: shared objects file");

        Launch off = launch(Map.of("FERRY_CDS", "off", "FERRY_JAVA_OPTS", "-Xmx256m -Xlog:class+load=info:stdout"), "--version");
        assertThat(off.exitCode()).as(off.output()).isZero();
        assertThat(off.stdout()).doesNotContainPattern("dev\\.ferry\\.cli\\.FerryCli source: shared objects file");
    }

    private record Launch(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private Launch launch(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("ferry").toString()));
        command.addAll(List.of(arguments));
        Path stdout = Files.createTempFile(home, "stdout", ".txt");
        Path stderr = Files.createTempFile(home, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("ferry " + List.of(arguments) + " did not finish in 5 minutes");
        }
        return new Launch(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** The launcher, the files a run reads from the Ferry home, and a jar laid out as Maven's. */
    private void prepareHome() throws IOException {
        Path real = MigrationBed.HOME;
        Files.copy(real.resolve("ferry"), home.resolve("ferry"));
        for (String folder : List.of("pipelines", "routes", "scripts", "pgbackrest")) {
            Files.createSymbolicLink(home.resolve(folder), real.resolve(folder));
        }
        Path target = Files.createDirectories(home.resolve("target"));
        Files.createSymbolicLink(target.resolve("local-servers"), real.resolve("target/local-servers"));
        List<String> dependencies = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar"))
                .map(entry -> Path.of(entry).toUri().toString())
                .toList();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FerryCli.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", dependencies));
        Path classes = real.resolve("target/classes");
        try (OutputStream file = Files.newOutputStream(target.resolve("ferry.jar"));
             JarOutputStream jar = new JarOutputStream(file, manifest);
             Stream<Path> entries = Files.walk(classes)) {
            for (Path entry : entries.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(entry).toString().replace(File.separatorChar, '/')));
                Files.copy(entry, jar);
                jar.closeEntry();
            }
        }
    }

    private static List<String> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
