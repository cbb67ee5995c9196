package dev.ferry.juju;

import java.util.List;
import dev.ferry.spec.Setting;
import dev.ferry.credentials.CollectedCredentials;
import dev.ferry.credentials.CredentialSource;
import dev.ferry.credentials.Secret;
import dev.ferry.runtime.Settings;

import java.util.Set;

/**
 * {@code <side>.credentials: juju}: the credentials of a PostgreSQL application deployed with
 * Juju, read through the {@code juju} client from the model the settings under
 * {@code <side>.juju.} name. {@code charm} says where the password lives: {@code postgresql-14}
 * (the {@code get-password} action), {@code postgresql-16} (the {@code system-users} secret) or
 * {@code legacy} (a client application's relation data). Unless {@code <side>.host} is set, the
 * host is the leader unit's address from {@code juju status}.
 */
public final class JujuCredentialSource implements CredentialSource {

    private static final List<Setting> SETTINGS = List.of(
            Setting.text("<side>.juju.application", null, "the PostgreSQL application"),
            Setting.text("<side>.juju.model", null, "its model; default the client's current one"),
            Setting.text("<side>.juju.controller", null, "its controller (with model: -m controller:model)"),
            Setting.text("<side>.juju.charm", "postgresql-14", "how the password is found: postgresql-14, postgresql-16 or legacy"),
            Setting.text("<side>.juju.username", "operator", "the charm user"),
            Setting.text("<side>.juju.unit", null, "the unit that runs the action; default <application>/leader"),
            Setting.text("<side>.juju.clientApplication", null, "legacy: the related application whose relation data holds the credentials"),
            Setting.text("<side>.juju.clientUnit", null, "legacy: the related unit whose relation data holds the credentials"),
            Setting.flag("<side>.juju.juju29", false, "Juju 2.9 syntax (run-action --wait, YAML)"),
            Setting.text("<side>.juju.binary", "juju", "the juju client to run"),
            Setting.integer("<side>.juju.timeoutSeconds", 120, "how long one juju command may take"));

    @Override
    public List<Setting> settings() {
        return SETTINGS;
    }

    public static final String NAME = "juju";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> provides(String side, Settings settings) {
        return JujuOptions.Charm.LEGACY.setting.equals(settings.get(side + ".juju.charm", ""))
                ? Set.of("host", "port", "user", "database") : Set.of("host", "user");
    }

    @Override
    public CollectedCredentials collect(String side, Settings raw, Settings resolved, String step) {
        JujuCli juju = new JujuCli(JujuOptions.read(side, resolved, step), step);
        JujuOptions options = juju.options();
        boolean hostSet = resolved.find(side + ".host").isPresent();
        CollectedCredentials collected = switch (options.charm()) {
            case POSTGRESQL_14 -> withUser(options, CharmedPostgres14Password.read(juju));
            case POSTGRESQL_16 -> withUser(options, CharmedPostgres16Password.read(juju));
            case LEGACY -> LegacyRelationCredentials.read(juju);
        };
        if (hostSet || collected.host() != null) {
            return collected;
        }
        String host = JujuStatus.of(juju, options.application()).leaderAddress(juju);
        return new CollectedCredentials(collected.user(), collected.password(), host, collected.port(), collected.database());
    }

    private static CollectedCredentials withUser(JujuOptions options, Secret password) {
        return CollectedCredentials.of(options.username(), password);
    }
}
