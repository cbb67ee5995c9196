package dev.ferry.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes children die with Ferry. Each child is started through {@code setpriv --pdeathsig KILL}
 * (util-linux), so the kernel kills it when the thread that started it ends, even when Ferry's JVM
 * is killed with SIGKILL and no Java code runs; a shutdown hook also kills every child still
 * running (and its descendants) when the JVM stops normally or on SIGTERM. A child of Ferry's
 * therefore never finishes a restore unverified on its own.
 */
final class ChildReaper {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildReaper::killAll, "ferry-child-reaper"));
    }

    private ChildReaper() {
    }

    /** The argv that starts {@code argv} so that it dies with its parent, where the platform allows it. */
    static List<String> wrap(List<String> argv) {
        if (!Files.isExecutable(SETPRIV)) {
            return argv;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    static void started(Process process) {
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
    }

    static void killAll() {
        for (Process process : RUNNING) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
