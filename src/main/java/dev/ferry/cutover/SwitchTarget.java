package dev.ferry.cutover;

import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Settings;

/**
 * Where the application learns which database to use, and how the switch step changes it: a
 * Kubernetes Secret or ConfigMap ({@code switch.kubernetes.name}) or a command ({@code switch.command}).
 */
public interface SwitchTarget {

    /** The settings of every kind of switch. */
    java.util.List<Setting> SETTINGS = java.util.stream.Stream.concat(KubernetesSwitch.SETTINGS.stream(),
            java.util.stream.Stream.of(CommandSwitch.COMMAND, CommandSwitch.TIMEOUT_SECONDS)).toList();

    /** Points the application at {@code target}; returns what changed, for the report. */
    String switchTo(DatabaseEndpoint target, String runId, String step);

    String kind();

    /** The target the settings configure; refuses none or two (exit 2, before anything connects). */
    static SwitchTarget of(Settings settings, String step) {
        boolean kubernetes = settings.find(KubernetesSwitch.NAME.key()).isPresent();
        boolean command = settings.find(CommandSwitch.COMMAND.key()).isPresent();
        if (kubernetes && command) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Both switch.kubernetes.name and switch.command are set",
                    "the switch step changes one thing", "Keep one of them");
        }
        if (kubernetes) {
            return KubernetesSwitch.of(settings, step);
        }
        if (command) {
            return CommandSwitch.of(settings, step);
        }
        throw new FerryException(ErrorCode.BAD_INPUT, step, "The cutover does not say what to switch",
                "neither switch.kubernetes.name (a Secret or ConfigMap the application reads) nor switch.command is set",
                "Set one of them, or replace step.switch with an endpoint of your own");
    }
}
