package dev.ferry.cutover;

import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;
import dev.ferry.runtime.Settings;

import java.time.Duration;

/**
 * Runs the user's {@code switch.command} through {@code sh -c}, with the target in its environment
 * ({@code FERRY_TARGET_HOST}, {@code _PORT}, {@code _DATABASE}, {@code _USER}, and {@code FERRY_RUN_ID});
 * never a password. Exit 0 means switched.
 */
final class CommandSwitch implements SwitchTarget {

    static final Setting COMMAND = Setting.text("switch.command", null,
            "a command that points the application at the target (it gets FERRY_TARGET_HOST, _PORT, _DATABASE)");
    static final Setting TIMEOUT_SECONDS = Setting.integer("switch.timeoutSeconds", 300, "how long the switch command may run");

    private final String command;
    private final Duration timeout;

    private CommandSwitch(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    static CommandSwitch of(Settings settings, String step) {
        return new CommandSwitch(settings.require(COMMAND.key(), step),
                Duration.ofSeconds(TIMEOUT_SECONDS.intValue(settings, step)));
    }

    @Override
    public String kind() {
        return "command";
    }

    @Override
    public String switchTo(DatabaseEndpoint target, String runId, String step) {
        ChildCommand child = ChildCommand.of("sh", "-c", command)
                .env("FERRY_TARGET_HOST", target.host())
                .env("FERRY_TARGET_PORT", Integer.toString(target.port()))
                .env("FERRY_TARGET_DATABASE", target.database())
                .env("FERRY_TARGET_USER", target.user())
                .env("FERRY_RUN_ID", runId)
                .build();
        ChildProcess.Finished finished = ChildProcess.runToEnd(child, step, timeout);
        if (finished.exitCode() != 0) {
            throw new FerryException(ErrorCode.SWITCH_FAILED, step, "switch.command exited with " + finished.exitCode(),
                    finished.stderr().isBlank() ? "it printed nothing on stderr" : finished.stderr().strip(),
                    "Fix the command (it gets FERRY_TARGET_HOST, _PORT, _DATABASE, _USER); the freeze is released, so run the"
                            + " cutover again");
        }
        String said = finished.stdout().strip();
        return "command `" + command + "` ran for " + target.describe() + (said.isEmpty() ? "" : ": " + lastLine(said));
    }

    private static String lastLine(String text) {
        int newline = text.lastIndexOf('\n');
        return newline < 0 ? text : text.substring(newline + 1);
    }
}
