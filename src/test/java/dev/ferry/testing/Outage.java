package dev.ferry.testing;

import dev.ferry.local.LocalPostgres;

/**
 * Lets a test's migration route stop a real server between two steps
 * ({@code to: "class:dev.ferry.testing.Outage?method=stopTarget"}), to make the next step fail for real.
 */
public final class Outage {

    private static volatile LocalPostgres target;

    private Outage() {
    }

    public static void arm(LocalPostgres server) {
        target = server;
    }

    public static void stopTarget() {
        LocalPostgres server = target;
        target = null;
        if (server != null) {
            server.stopServer();
        }
    }
}
