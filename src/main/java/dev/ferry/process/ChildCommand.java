package dev.ferry.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command to run as a child process. Secrets go in {@link #environment()} (or a 0600 file the
 * command names), never in {@link #argv()}: argv is visible to every user through {@code ps}.
 */
public final class ChildCommand {

    private final List<String> argv;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final List<String> inherited;

    private ChildCommand(List<String> argv, Map<String, String> environment, Path workingDirectory, List<String> inherited) {
        this.argv = List.copyOf(argv);
        this.inherited = List.copyOf(inherited);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        this.workingDirectory = workingDirectory;
    }

    public static Builder of(String program, String... arguments) {
        Builder builder = new Builder();
        builder.argv.add(program);
        builder.argv.addAll(List.of(arguments));
        return builder;
    }

    public List<String> argv() {
        return argv;
    }

    /**
     * Names of Ferry's own environment variables the child also gets (for example the Juju
     * client's {@code JUJU_DATA}); by default a child gets only {@link ChildEnvironment#baseline}.
     */
    public List<String> inherited() {
        return inherited;
    }

    /** Variables the child gets on top of {@link ChildEnvironment#baseline}: the one secret it needs, and its settings. */
    public Map<String, String> environment() {
        return environment;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    /** The program name, as shown in messages. */
    public String program() {
        return Path.of(argv.get(0)).getFileName().toString();
    }

    /** The command line as safe text: argv never carries secrets, so this is what {@code ps} shows. */
    @Override
    public String toString() {
        return String.join(" ", argv);
    }

    public static final class Builder {
        private final List<String> argv = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private final List<String> inherited = new ArrayList<>();

        public Builder arg(String argument) {
            argv.add(argument);
            return this;
        }

        public Builder args(List<String> arguments) {
            argv.addAll(arguments);
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Passes these variables of Ferry's own environment on to the child, when set. */
        public Builder inherit(String... names) {
            inherited.addAll(List.of(names));
            return this;
        }

        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory;
            return this;
        }

        public ChildCommand build() {
            return new ChildCommand(argv, environment, workingDirectory, inherited);
        }
    }
}
