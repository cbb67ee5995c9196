package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build copied the servers Ferry runs as separate processes (s3proxy, PostgreSQL
 * binaries): {@code -Dferry.localServers}, else {@code <ferry.home>/target/local-servers}, else
 * {@code ./target/local-servers}.
 */
public final class LocalServers {

    static final String FOLDER_PROPERTY = "ferry.localServers";
    static final String HOME_PROPERTY = "ferry.home";

    private LocalServers() {
    }

    public static Path folder() {
        String explicit = System.getProperty(FOLDER_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return Path.of(home, "target", "local-servers");
        }
        return Path.of("target", "local-servers");
    }

    /** A file in {@link #folder()}, which must exist. */
    public static Path file(String fileName, String step) {
        Path file = folder().resolve(fileName).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "No " + fileName + " in " + file.getParent(),
                    "the build copies it there (maven-dependency-plugin, phase generate-resources)",
                    "Run `mvn package` in the Ferry folder, or point -D" + FOLDER_PROPERTY + " at the folder that holds it");
        }
        return file;
    }
}
