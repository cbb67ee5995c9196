package dev.ferry.credentials;

import java.util.List;
import dev.ferry.spec.Setting;
import dev.ferry.runtime.Settings;

/**
 * Credentials written in the migration's settings: {@code <side>.user} and the password as a value
 * (usually a placeholder such as {@code {{env:NAME}}}), {@code <side>.passwordFile} or
 * {@code <side>.passwordEnv}. The default source.
 */
public final class SettingsCredentialSource implements CredentialSource {

    private static final List<Setting> SETTINGS = List.of(
            Setting.text("<side>.user", null, "the database user"),
            Setting.secret("<side>.password", "the password: a value (use a placeholder such as {{env:NAME}}), or <side>.passwordFile,"
                    + " <side>.passwordEnv"));

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

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
