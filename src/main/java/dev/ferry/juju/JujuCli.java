package dev.ferry.juju;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the {@code juju} client ({@code <side>.juju.binary}) against the configured model with a
 * timeout, and hands back what it printed and how it exited: a failing action exits non-zero yet
 * prints the JSON that says why, so a non-zero exit is the caller's to judge. Nothing secret is
 * ever put on juju's command line; juju prints secrets on stdout only.
 */
class JujuCli {

    /** What one juju command printed. {@code stderr} is already redacted of every known secret. */
    record Output(List<String> argv, int exitCode, String stdout, String stderr) {

        /** juju's own explanation: its last {@code ERROR ...} line, else its last stderr line, else null. */
        String errorLine() {
            String last = null;
            for (String line : stderr.split("\\R")) {
                if (line.startsWith("ERROR")) {
                    last = line.strip();
                }
            }
            if (last != null) {
                return last;
            }
            List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? null : lines.get(lines.size() - 1);
        }
    }

    private final JujuOptions options;
    private final String step;

    JujuCli(JujuOptions options, String step) {
        this.options = options;
        this.step = step;
    }

    JujuOptions options() {
        return options;
    }

    String step() {
        return step;
    }

    /** The command line for {@code juju <arguments> [-m model]}, as it will run. */
    List<String> argv(String... arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(options.binary());
        argv.addAll(List.of(arguments));
        if (options.modelArgument() != null) {
            argv.add("-m");
            argv.add(options.modelArgument());
        }
        return argv;
    }

    /** Runs {@code juju <arguments>} to its end, whatever its exit code. */
    Output run(String... arguments) {
        List<String> argv = argv(arguments);
        // the client finds its controllers and model through these when they are set
        ChildCommand command = ChildCommand.of(argv.get(0)).args(argv.subList(1, argv.size()))
                .inherit("JUJU_DATA", "JUJU_MODEL", "JUJU_CONTROLLER", "XDG_DATA_HOME", "SNAP_USER_DATA").build();
        try {
            ChildProcess.Finished finished = ChildProcess.runToEnd(command, step, options.timeout());
            return new Output(argv, finished.exitCode(), finished.stdout(), finished.stderr());
        } catch (FerryException e) {
            if (e.code() != ErrorCode.TOOL_MISSING) {
                throw e;
            }
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not start the Juju client '" + options.binary() + "'",
                    e.why(), "Install it (snap install juju), log in to the controller, or set "
                    + options.side() + ".juju.binary to its path");
        }
    }

    /**
     * The failure of a juju command that printed nothing Ferry could use: quotes juju's error
     * line (redacted), never its stdout, which may hold a secret Ferry has not yet seen.
     */
    FerryException failed(Output output, String what, String next) {
        String why = output.errorLine();
        if (why == null) {
            why = output.exitCode() == 0 ? "it printed nothing Ferry could read" : "it exited with code " + output.exitCode()
                    + " and printed nothing on stderr";
        } else if (output.exitCode() != 0) {
            why = "exit code " + output.exitCode() + ": " + why;
        }
        return new FerryException(ErrorCode.CREDENTIALS, step, what + " (" + String.join(" ", output.argv()) + ")",
                Redactor.redact(why), next);
    }

    /** What to do when juju cannot reach the application at all. */
    String checkAccessHint() {
        return "Check that `" + String.join(" ", argv("status", options.application())) + "` works for this user"
                + " (juju login, the model and controller names)";
    }
}
