package dev.ferry.cli;

import dev.ferry.runtime.StateDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command that reads migrations or runs shares. */
final class CommonOptions {

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where runs keep their journals and reports (default: $FERRY_STATE_DIR or ~/.ferry).")
    Path stateDirectory;

    @Option(names = "--home", paramLabel = "DIR", hidden = true, description = "Ferry's folder with pipelines/ and routes/.")
    Path home;

    Path stateDirectory() {
        return stateDirectory != null ? stateDirectory : StateDirectory.defaultRoot();
    }

    Path home() {
        if (home != null) {
            return home;
        }
        String property = System.getProperty("ferry.home");
        return Path.of(property != null ? property : ".").toAbsolutePath().normalize();
    }
}
