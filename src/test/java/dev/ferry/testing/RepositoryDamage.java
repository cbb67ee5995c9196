package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Lets a test's migration route damage a pgBackRest repository between two steps
 * ({@code to: "class:dev.ferry.testing.RepositoryDamage?method=damage"}): deletes the files it was armed with.
 */
public final class RepositoryDamage {

    private static volatile List<Path> files = List.of();

    private RepositoryDamage() {
    }

    public static void arm(List<Path> toDelete) {
        files = List.copyOf(toDelete);
    }

    public static void damage() {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files = List.of();
    }
}
