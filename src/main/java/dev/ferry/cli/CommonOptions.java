package dev.ferry.cli;

import dev.ferry.runtime.Console;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.StateDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** Options every command that reads migrations or runs shares. */
final class CommonOptions {

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where runs keep their journals and reports (default: $FERRY_STATE_DIR or ~/.ferry).")
    Path stateDirectory;

    @Option(names = "--home", paramLabel = "DIR", hidden = true, description = "Ferry's folder with pipelines/ and routes/.")
    Path home;

    /** Options for a run on the console, with progress bars when a terminal is attached. */
    RunOptions runOptions(Map<String, String> sets, String from, String until, boolean dryRun, String resumeRunId) {
        return runOptions(sets, from, until, dryRun, resumeRunId, false);
    }

    RunOptions runOptions(Map<String, String> sets, String from, String until, boolean dryRun, String resumeRunId, boolean rehearsal) {
        return new RunOptions(home(), stateDirectory(), sets, from, until, dryRun, resumeRunId, ConsoleProgress.forTerminal(),
                Console.system(), rehearsal);
    }

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
