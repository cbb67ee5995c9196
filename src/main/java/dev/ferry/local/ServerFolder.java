package dev.ferry.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The temporary folder of a throwaway server, with a JVM shutdown hook that stops the server if the
 * JVM exits first (a test that dies, a Ctrl-C in the demo).
 */
final class ServerFolder {

    private final Path path;
    private final Thread shutdownHook;

    private ServerFolder(Path path, Thread shutdownHook) {
        this.path = path;
        this.shutdownHook = shutdownHook;
    }

    static ServerFolder create(String prefix, Runnable stopOnExit) throws IOException {
        ServerFolder folder = new ServerFolder(Files.createTempDirectory(prefix), new Thread(stopOnExit, "stop-" + prefix));
        Runtime.getRuntime().addShutdownHook(folder.shutdownHook);
        return folder;
    }

    /** A folder that exists already (a data directory restored from a backup), deleted on release all the same. */
    static ServerFolder adopt(Path existing, Runnable stopOnExit) {
        ServerFolder folder = new ServerFolder(existing, new Thread(stopOnExit, "stop-" + existing.getFileName()));
        Runtime.getRuntime().addShutdownHook(folder.shutdownHook);
        return folder;
    }

    Path path() {
        return path;
    }

    /** Deletes the folder and, unless the JVM is already running it, the shutdown hook. */
    void release() {
        try {
            Folders.deleteTree(path);
        } catch (IOException e) {
            System.err.println("Could not delete " + path + ": " + e.getMessage());
        }
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and runs the hook anyway; stopping twice is harmless
        }
    }
}
