package dev.ferry.restore;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.Engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Staging databases for the same target that other runs left half-restored and will never finish:
 * their mark says a process on this host was restoring into them ({@link ImportMark#stagingBy}) and
 * no process with that pid is alive. Nothing of such a database reached the target (a complete one
 * is marked otherwise), so dropping it loses nothing; its run's resume, if ever, imports again. A
 * staging database marked by another host, or complete, or with no mark is left alone.
 */
final class AbandonedStagings {

    private AbandonedStagings() {
    }

    /** Their names. */
    static List<String> find(Engine engine, DatabaseEndpoint target, String ownRunId, String step) {
        List<String> found = new ArrayList<>();
        String host = Host.name();
        for (String name : engine.databaseNames(target, "_ferry_", step)) {
            DatabaseEndpoint candidate = target.withDatabase(name);
            Optional<ImportMark.Owner> owner = ImportMark.owner(engine.importMark(candidate, step));
            if (owner.isEmpty() || owner.get().runId().equals(ownRunId)
                    || !StagingName.of(target.database(), owner.get().runId()).equals(name)
                    || !owner.get().host().equals(host) || ProcessHandle.of(owner.get().pid()).isPresent()) {
                continue;
            }
            found.add(name);
        }
        return found;
    }

    /** This machine's name, as staging marks record it. */
    static final class Host {

        private Host() {
        }

        static String name() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
