package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A folder holding the stand-in {@code juju} client (src/test/resources/juju/juju, a script that
 * plays the Juju controller) and the answers it gives; it records each invocation in
 * {@code calls.log}. See the script's header for its protocol.
 */
public final class JujuStandIn {

    public static final Path SCRIPT = MigrationBed.HOME.resolve("src/test/resources/juju/juju");

    private final Path folder;

    private JujuStandIn(Path folder) {
        this.folder = folder;
    }

    /** Copies the stand-in into {@code folder} (created if missing), executable, with no answers yet. */
    public static JujuStandIn in(Path folder) {
        try {
            Files.createDirectories(folder);
            Path binary = folder.resolve("juju");
            Files.copy(SCRIPT, binary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
            return new JujuStandIn(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path folder() {
        return folder;
    }

    public Path binary() {
        return folder.resolve("juju");
    }

    /** The environment a child needs to find this stand-in as {@code juju}: its folder first on PATH, and its answers. */
    public Map<String, String> environment() {
        return Map.of("PATH", folder + ":" + System.getenv("PATH"), "JUJU_STANDIN_DIR", folder.toString());
    }

    /** Writes an answer file, for example {@code action.json}, replacing any earlier one. */
    public JujuStandIn answer(String file, String content) {
        write(file, content);
        return this;
    }

    /** Makes the command answered from {@code answerFile} exit with {@code code} and print {@code stderr}. */
    public JujuStandIn fails(String answerFile, int code, String stderr) {
        String base = answerFile.substring(0, answerFile.lastIndexOf('.'));
        write(base + ".exit-code", Integer.toString(code));
        write(base + ".stderr", stderr + "\n");
        return this;
    }

    /** {@code juju status <app>} with one leader unit at {@code publicAddress}. */
    public JujuStandIn status(String application, String publicAddress) {
        return answer("status-" + application + ".json", """
                {"model": {"name": "m", "type": "iaas"},
                 "applications": {"%1$s": {"charm": "%1$s", "units": {"%1$s/0": {"leader": true,
                   "workload-status": {"current": "active", "message": "Primary"},
                   "public-address": "%2$s", "address": "%2$s"}}}}}
                """.formatted(application, publicAddress));
    }

    /** A successful Juju 3.x {@code get-password} run, keyed by the unit that ran it. */
    public JujuStandIn actionPassword(String unit, String password) {
        return answer("action.json", """
                {"%s": {"id": "42", "status": "completed",
                  "results": {"password": "%s", "return-code": 0, "stdout": "", "stderr": ""},
                  "log": []}}
                """.formatted(unit, password));
    }

    /** The invocations so far, one argv line each. */
    public List<String> calls() {
        try {
            Path log = folder.resolve("calls.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String file, String content) {
        try {
            Files.writeString(folder.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
