package dev.ferry.testing;

import dev.ferry.local.LocalDatabaseServer;

/**
 * Lets a test's migration route stop a real server between two steps
 * ({@code to: "class:dev.ferry.testing.Outage?method=stopTarget"}), to make the next step fail for real.
 */
public final class Outage {

    private static volatile LocalDatabaseServer target;

    private Outage() {
    }

    public static void arm(LocalDatabaseServer server) {
        target = server;
    }

    public static void stopTarget() {
        LocalDatabaseServer server = target;
        target = null;
        if (server != null) {
            server.stopServer();
        }
    }
}
