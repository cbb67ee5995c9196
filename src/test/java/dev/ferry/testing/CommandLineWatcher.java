package dev.ferry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Samples every process's command line ({@code /proc/<pid>/cmdline}, what {@code ps} shows) while a
 * process runs, recording any that contains one of the watched secrets and which programs it saw.
 */
public final class CommandLineWatcher {

    private final List<String> secrets;
    private final Set<String> leaks = ConcurrentHashMap.newKeySet();
    private final Set<String> programsSeen = ConcurrentHashMap.newKeySet();

    public CommandLineWatcher(List<String> secrets) {
        this.secrets = secrets;
    }

    public void watch(Process process) {
        while (process.isAlive()) {
            sampleOnce();
        }
    }

    private void sampleOnce() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(this::inspect);
        } catch (IOException ignored) {
            // /proc changes while it is listed
        }
    }

    private void inspect(Path processFolder) {
        try {
            String commandLine = new String(Files.readAllBytes(processFolder.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
            if (commandLine.isBlank()) {
                return;
            }
            programsSeen.add(Path.of(commandLine.split(" ")[0]).getFileName().toString());
            for (String secret : secrets) {
                if (commandLine.contains(secret)) {
                    leaks.add(commandLine);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between listing and reading
        }
    }

    public Set<String> leaks() {
        return leaks;
    }

    public Set<String> programsSeen() {
        return programsSeen;
    }
}
