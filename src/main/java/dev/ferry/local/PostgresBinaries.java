package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the server programs of one PostgreSQL major version live: initdb, pg_ctl, postgres. */
public final class PostgresBinaries {

    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
    private static final String STEP = "local-postgres";

    private final Path binDirectory;
    private final int major;

    private PostgresBinaries(Path binDirectory, int major) {
        this.binDirectory = binDirectory;
        this.major = major;
    }

    /** The highest PostgreSQL server installed from Debian packages ({@code /usr/lib/postgresql/<major>/bin}). */
    public static PostgresBinaries system() {
        Optional<Integer> highest;
        try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
            highest = versions.filter(version -> Files.isExecutable(version.resolve("bin").resolve("initdb")))
                    .map(version -> version.getFileName().toString())
                    .filter(name -> name.matches("\\d+"))
                    .map(Integer::valueOf)
                    .max(Comparator.naturalOrder());
        } catch (IOException e) {
            highest = Optional.empty();
        }
        return highest.map(major -> new PostgresBinaries(DEBIAN_VERSIONS.resolve(major.toString()).resolve("bin"), major))
                .orElseThrow(() -> new FerryException(ErrorCode.TOOL_MISSING, STEP,
                        "No PostgreSQL server installed under " + DEBIAN_VERSIONS, "no <version>/bin/initdb there",
                        "Install the postgresql package, or use a bundled server build"));
    }

    /**
     * A server build the Maven build ships (PostgreSQL 13 and 17), unpacked on first use into
     * {@code ~/.cache/ferry}, or {@code /var/cache/ferry} under root, where the postgres user can read it.
     */
    public static PostgresBinaries bundled(int major) {
        return new PostgresBinaries(BundledPostgresArchive.unpacked(major, ServerAccount.forThisProcess(), STEP).resolve("bin"), major);
    }

    public Path binDirectory() {
        return binDirectory;
    }

    public int major() {
        return major;
    }

    public Path initdb() {
        return binDirectory.resolve("initdb");
    }

    public Path pgCtl() {
        return binDirectory.resolve("pg_ctl");
    }

    @Override
    public String toString() {
        return "PostgreSQL " + major + " (" + binDirectory + ")";
    }
}
