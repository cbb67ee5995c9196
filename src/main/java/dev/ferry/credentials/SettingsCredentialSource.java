package dev.ferry.credentials;

import dev.ferry.runtime.Settings;

/**
 * Credentials written in the migration's settings: {@code <side>.user} and the password as a value
 * (usually a placeholder such as {@code {{env:NAME}}}), {@code <side>.passwordFile} or
 * {@code <side>.passwordEnv}. The default source.
 */
public final class SettingsCredentialSource implements CredentialSource {

    @Override
    public String name() {
        return CredentialSources.DEFAULT;
    }

    @Override
    public CollectedCredentials collect(String side, Settings raw, Settings resolved, String step) {
        Secret password = new CredentialResolver(raw, resolved).find(side + ".password", step);
        return CollectedCredentials.of(resolved.require(side + ".user", step), password);
    }
}
