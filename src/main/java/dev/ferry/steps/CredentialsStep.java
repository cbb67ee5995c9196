package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.ErrorCode;
import dev.ferry.credentials.CredentialSources;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Settings;
import dev.ferry.runtime.Variables;

/**
 * {@code ferry:credentials?side=source|target[&from=juju|kubernetes-secret|file|settings]}: collects
 * one side's credentials from one source and sets {@code ferry.source} or {@code ferry.target}.
 * For routes that assemble {@code collect-credentials} from sources of their own choosing;
 * {@code from} defaults to the side's {@code <side>.credentials} setting.
 */
public final class CredentialsStep implements FerryStep {

    public static final Setting SIDE = Setting.choice("side", null, "the side whose credentials to collect", "source", "target").mandatory();
    public static final Setting FROM = Setting.text("from", null, "the credential source (juju, kubernetes-secret, file, settings); default <side>.credentials");

    public static final StepSpec SPEC = new StepSpec("credentials", "collects one side's credentials from one credential source",
            (settings, options) -> {
                Set<String> sets = "target".equals(options.get("side")) ? Set.of(Variables.TARGET) : Set.of(Variables.SOURCE);
                return StepSpec.Contract.of(Set.of(), sets).withTransient(sets).alwaysRunning();
            }, List.of(SIDE, FROM), List.of());

    @Override
    public void execute(StepExecution execution) {
        String side = execution.options().get("side");
        if (!"source".equals(side) && !"target".equals(side)) {
            throw execution.fail(ErrorCode.BAD_INPUT, "ferry:credentials needs side=source or side=target",
                    "it has side=" + side, "Write ferry:credentials?side=source&from=juju");
        }
        Settings raw = execution.run().rawSettings();
        Settings settings = execution.settings();
        String from = execution.options().getOrDefault("from", settings.get(side + ".credentials", CredentialSources.DEFAULT));
        DatabaseEndpoint endpoint = ConnectionSettings.database(side,
                CredentialSources.named(from, side, execution.stepId()).collect(side, raw, settings, execution.stepId()),
                settings, execution.stepId());
        execution.output("source".equals(side) ? Variables.SOURCE : Variables.TARGET, endpoint);
        execution.note(side + " " + endpoint + " from " + from
                + (endpoint.password() == null ? " (no password)" : ", password from " + endpoint.password().origin()));
    }
}
