package dev.ferry.juju;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Settings;

import java.time.Duration;
import java.util.Locale;

/**
 * One side's {@code <side>.juju.*} settings: which application in which model, which charm
 * generation holds the password, and how to run the {@code juju} client.
 */
record JujuOptions(String side, String application, String model, String controller, Charm charm, String username,
                   String unit, String clientApplication, String clientUnit, boolean juju29, String binary, Duration timeout) {

    /** Where the charm keeps the password. */
    enum Charm {
        /** Charmed PostgreSQL 14: the leader's {@code get-password} action. */
        POSTGRESQL_14("postgresql-14"),
        /** Charmed PostgreSQL 16: the Juju secret named by the {@code system-users} config option. */
        POSTGRESQL_16("postgresql-16"),
        /** The legacy (reactive) charm: the user and password it put in a client application's relation data. */
        LEGACY("legacy");

        final String setting;

        Charm(String setting) {
            this.setting = setting;
        }
    }

    static JujuOptions read(String side, Settings settings, String step) {
        String prefix = side + ".juju.";
        String charmName = settings.get(prefix + "charm", Charm.POSTGRESQL_14.setting).trim().toLowerCase(Locale.ROOT);
        Charm charm = null;
        for (Charm c : Charm.values()) {
            if (c.setting.equals(charmName)) {
                charm = c;
            }
        }
        if (charm == null) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown charm '" + charmName + "'", prefix + "charm names it",
                    "Use postgresql-14 (get-password action), postgresql-16 (system-users secret) or legacy (relation data)");
        }
        String application = settings.require(prefix + "application", step);
        String clientApplication = settings.find(prefix + "clientApplication").orElse(null);
        String clientUnit = settings.find(prefix + "clientUnit").orElse(null);
        if (charm == Charm.LEGACY && clientApplication == null && clientUnit == null) {
            throw new FerryException(ErrorCode.MISSING_INPUT, step, "Setting '" + prefix + "clientApplication' is not set",
                    "the legacy charm hands its user and password only to the applications related to it",
                    "Name the client application whose relation with " + application + " holds them (or " + prefix + "clientUnit)");
        }
        String model = settings.find(prefix + "model").orElse(null);
        String controller = settings.find(prefix + "controller").orElse(null);
        if (controller != null && model == null) {
            throw new FerryException(ErrorCode.MISSING_INPUT, step, "Setting '" + prefix + "model' is not set",
                    prefix + "controller is set, and juju names a model as controller:model",
                    "Set " + prefix + "model too, or drop " + prefix + "controller to use the client's current controller");
        }
        int seconds = settings.getInt(prefix + "timeoutSeconds", 120, step);
        if (seconds <= 0) {
            throw new FerryException(ErrorCode.BAD_INPUT, step, "Setting '" + prefix + "timeoutSeconds' must be positive",
                    "it is " + seconds, "Give the seconds a juju command may take, for example 120");
        }
        return new JujuOptions(side, application, model, controller, charm, settings.get(prefix + "username", "operator"),
                settings.get(prefix + "unit", application + "/leader"), clientApplication, clientUnit,
                settings.getBoolean(prefix + "juju29", false, step), settings.get(prefix + "binary", "juju"),
                Duration.ofSeconds(seconds));
    }

    /** The value of {@code -m}, or null for the client's current model. */
    String modelArgument() {
        if (model == null) {
            return null;
        }
        return controller == null ? model : controller + ":" + model;
    }

    /** The model as shown in origins and messages. */
    String modelDescription() {
        String argument = modelArgument();
        return argument == null ? "current model" : "model " + argument;
    }
}
