package dev.ferry.credentials;

import dev.ferry.spec.Setting;
import dev.ferry.runtime.Settings;

import java.util.Set;

/**
 * Where one side's database credentials live: the migration's own settings, a Juju model, a
 * Kubernetes Secret, a credentials file. Chosen per side with {@code <side>.credentials}; found with
 * {@link java.util.ServiceLoader}. A source reads its own settings under {@code <side>.<name>.}.
 */
public interface CredentialSource {

    /** The value of {@code <side>.credentials} that selects this source, for example {@code juju}. */
    String name();

    /**
     * Collects the credentials of {@code side} ({@code source} or {@code target}).
     *
     * @param raw      the settings as written (placeholders unresolved), to record where a secret came from
     * @param resolved the settings with placeholders resolved
     */
    CollectedCredentials collect(String side, Settings raw, Settings resolved, String step);

    /**
     * The side's settings (without the {@code <side>.} prefix, for example {@code host} and
     * {@code user}) this source finds by itself, so a pipeline's requirement of them is met before
     * any connection: a Juju model knows the unit's address and the charm's user.
     */
    default Set<String> provides(String side, Settings settings) {
        return Set.of();
    }

    /** The settings this source reads, as {@code <side>.} patterns. */
    default java.util.List<Setting> settings() {
        return java.util.List.of();
    }
}
