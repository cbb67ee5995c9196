package dev.ferry.steps;

import dev.ferry.camel.FerryStep;
import dev.ferry.camel.StepExecution;

import java.util.Set;
import java.util.List;
import dev.ferry.spec.StepSpec;
import dev.ferry.spec.Setting;
import dev.ferry.credentials.CredentialResolver;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Settings;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;

/**
 * {@code ferry:collect-credentials}: collects the source's and target's credentials from where
 * each side's {@code <side>.credentials} says (the settings by default; a Juju model, a Kubernetes
 * Secret, a credentials file) and the object store's from the settings, into memory only.
 * Sets {@code ferry.source}, {@code ferry.target}, {@code ferry.store}; records only where each
 * secret came from. With the option {@code sides=source} (the Everest pipelines, whose target is
 * made by the import) only the source and the object store.
 */
public final class CollectCredentialsStep implements FerryStep {

    public static final Setting SIDES = Setting.text("sides", "source,target", "which sides to collect: source,target, or source alone (a target that does not exist yet)");

    public static final StepSpec SPEC = new StepSpec("collect-credentials",
            "collects the credentials of the source, of the target (unless sides=source) and of the object store (kept in memory only)",
            (settings, options) -> {
                Set<String> sets = "source".equals(options.getOrDefault("sides", SIDES.defaultValue()))
                        ? Set.of(Variables.SOURCE, Variables.STORE) : Set.of(Variables.SOURCE, Variables.TARGET, Variables.STORE);
                return StepSpec.Contract.of(Set.of(), sets).withTransient(sets).alwaysRunning();
            }, List.of(SIDES), List.of());

    @Override
    public void execute(StepExecution execution) {
        Settings raw = execution.run().rawSettings();
        DatabaseEndpoint source = ConnectionSettings.database("source", raw, execution.settings(), execution.stepId());
        ObjectStoreSettings store = ConnectionSettings.store(execution.settings(),
                new CredentialResolver(raw, execution.settings()), execution.stepId());
        execution.output(Variables.SOURCE, source);
        execution.output(Variables.STORE, store);
        execution.note("source " + source + (source.password() == null ? " (no password)" : ", password from " + source.password().origin()));
        if (!"source".equals(execution.options().getOrDefault("sides", "source,target"))) {
            DatabaseEndpoint target = ConnectionSettings.database("target", raw, execution.settings(), execution.stepId());
            execution.output(Variables.TARGET, target);
            execution.note("target " + target + (target.password() == null ? " (no password)" : ", password from " + target.password().origin()));
        }
        execution.note("storage " + store.describe() + (store.secretKey() == null ? " (AWS default credentials)"
                : ", secret key from " + store.secretKey().origin()));
    }
}
