package dev.ferry.component;

import dev.ferry.credentials.CredentialResolver;
import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.runtime.Variables;
import dev.ferry.storage.ObjectStoreSettings;

/**
 * {@code ferry:collect-credentials}: reads the source's, target's and object store's credentials
 * from the migration's settings (inline placeholders, {@code *Env}, {@code *File}) into memory.
 * Sets {@code ferry.source}, {@code ferry.target}, {@code ferry.store}; records only where each
 * secret came from.
 */
final class CollectCredentialsStep implements FerryStep {

    @Override
    public void execute(StepExecution execution) {
        CredentialResolver credentials = new CredentialResolver(execution.run().rawSettings(), execution.settings());
        DatabaseEndpoint source = ConnectionSettings.database("source", execution.settings(), credentials, execution.stepId());
        DatabaseEndpoint target = ConnectionSettings.database("target", execution.settings(), credentials, execution.stepId());
        ObjectStoreSettings store = ConnectionSettings.store(execution.settings(), credentials, execution.stepId());
        execution.output(Variables.SOURCE, source);
        execution.output(Variables.TARGET, target);
        execution.output(Variables.STORE, store);
        execution.note("source " + source + (source.password() == null ? " (no password)" : ", password from " + source.password().origin()));
        execution.note("target " + target + (target.password() == null ? " (no password)" : ", password from " + target.password().origin()));
        execution.note("storage " + store.describe() + (store.secretKey() == null ? " (AWS default credentials)"
                : ", secret key from " + store.secretKey().origin()));
    }
}
