package dev.ferry.juju;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;
import dev.ferry.credentials.Secret;

/**
 * Charmed PostgreSQL 14: runs the leader's {@code get-password username=<user>} action and takes
 * {@code results.password}. Juju 3.x: {@code juju run <unit> get-password username=<user>
 * --format=json}; Juju 2.9: {@code juju run-action <unit> get-password username=<user> --wait
 * --format=yaml}. The password travels only on juju's stdout.
 */
final class CharmedPostgres14Password {

    static final String ACTION = "get-password";

    private CharmedPostgres14Password() {
    }

    static Secret read(JujuCli juju) {
        JujuOptions options = juju.options();
        String username = "username=" + options.username();
        JujuCli.Output output = options.juju29()
                ? juju.run("run-action", options.unit(), ACTION, username, "--wait", "--format=yaml")
                : juju.run("run", options.unit(), ACTION, username, "--format=json");
        JujuActionResult result = options.juju29() ? JujuActionResult.parseYaml(output.stdout())
                : JujuActionResult.parseJson(output.stdout());
        if (result == null) {
            throw juju.failed(output, "juju could not run the action " + ACTION + " on " + options.unit(), juju.checkAccessHint());
        }
        // whatever happens next, the value must already be known to the redactor
        String password = result.result("password");
        Redactor.register(password);
        if (!result.succeeded() || output.exitCode() != 0) {
            String why = result.message() != null ? result.message() : firstNonBlank(result.result("stderr"), output.errorLine(),
                    "status " + result.status() + ", return code " + result.returnCode() + ", exit code " + output.exitCode());
            throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "juju action " + ACTION + " failed on " + result.unit(),
                    Redactor.redact(why), "Check the user name (" + options.side() + ".juju.username is '" + options.username()
                    + "'; the charm knows operator, replication, rewind and patroni), then `juju "
                    + (options.juju29() ? "show-action-output " : "show-task ") + result.id() + "` for the action's log");
        }
        if (password == null || password.isEmpty()) {
            throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "juju action " + ACTION + " on " + result.unit()
                    + " returned no password", "its results hold no 'password'",
                    "Check that " + options.application() + " runs Charmed PostgreSQL 14; for the 16 charm set "
                    + options.side() + ".juju.charm: postgresql-16");
        }
        return Secret.of(password, "juju:action " + ACTION + " username=" + options.username() + " on " + result.unit()
                + " (" + options.modelDescription() + ")");
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }
}
