package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs the real {@code ferry} command line in its own JVM, as a user would, and captures what it prints. */
public final class FerryProcess {

    private FerryProcess() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    public static Result run(Path workFolder, Map<String, String> environment, List<String> arguments) {
        return run(workFolder, environment, arguments, process -> { });
    }

    /** @param whileRunning called once the process has started, from the calling thread, before waiting for it */
    public static Result run(Path workFolder, Map<String, String> environment, List<String> arguments, Consumer<Process> whileRunning) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dferry.home=" + MigrationBed.HOME));
        String localServers = System.getProperty("ferry.localServers");
        if (localServers != null) {
            command.add("-Dferry.localServers=" + localServers);
        }
        command.add("dev.ferry.cli.FerryCli");
        command.addAll(arguments);
        try {
            Files.createDirectories(workFolder);
            Path stdout = Files.createTempFile(workFolder, "stdout", ".txt");
            Path stderr = Files.createTempFile(workFolder, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            whileRunning.accept(process);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("ferry " + arguments + " did not finish in 5 minutes");
            }
            return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
