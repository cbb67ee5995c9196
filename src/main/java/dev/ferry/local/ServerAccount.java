package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.process.ChildCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.stream.Stream;

/**
 * The OS user a local server runs as. PostgreSQL refuses to run as root, so under root the server
 * programs run as the {@code postgres} user and its files are handed over to that user.
 */
final class ServerAccount {

    static final String POSTGRES_USER = "postgres";

    private final boolean switchToPostgres;

    private ServerAccount(boolean switchToPostgres) {
        this.switchToPostgres = switchToPostgres;
    }

    static ServerAccount forThisProcess() {
        return new ServerAccount(isRoot());
    }

    /** Whether the server runs as the postgres user rather than as this process's user. */
    boolean switchesUser() {
        return switchToPostgres;
    }

    /** A command running {@code program} as the server's user. */
    ChildCommand.Builder command(Path program, String... arguments) {
        if (!switchToPostgres) {
            return ChildCommand.of(program.toString(), arguments);
        }
        return ChildCommand.of("runuser", "-u", POSTGRES_USER, "--", program.toString()).args(List.of(arguments));
    }

    /** Gives {@code folder} and everything under it to the server's user. */
    void handOver(Path folder, String step) {
        if (!switchToPostgres) {
            return;
        }
        UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
        try (Stream<Path> paths = Files.walk(folder)) {
            UserPrincipal user = lookup.lookupPrincipalByName(POSTGRES_USER);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(POSTGRES_USER);
            for (Path path : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, step, "Could not give " + folder + " to the user " + POSTGRES_USER,
                    e.getMessage(), "PostgreSQL will not run as root: create the OS user '" + POSTGRES_USER
                    + "' (install the postgresql package) or run Ferry as an ordinary user");
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
