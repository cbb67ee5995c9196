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
 * The OS user a local server runs as. PostgreSQL refuses to run as root, and MariaDB would need
 * {@code --user=root}, so under root the server programs run as the server's own user
 * ({@code postgres}, {@code mysql}) and its files are handed over to that user.
 */
final class ServerAccount {

    static final String POSTGRES_USER = "postgres";
    static final String MYSQL_USER = "mysql";

    private final boolean switchUser;
    private final String user;

    private ServerAccount(boolean switchUser, String user) {
        this.switchUser = switchUser;
        this.user = user;
    }

    /** For a PostgreSQL server. */
    static ServerAccount forThisProcess() {
        return forThisProcess(POSTGRES_USER);
    }

    /** For a server that runs as {@code user} when this process is root. */
    static ServerAccount forThisProcess(String user) {
        return new ServerAccount(isRoot(), user);
    }

    /** Whether the server runs as its own user rather than as this process's user. */
    boolean switchesUser() {
        return switchUser;
    }

    /** A command running {@code program} as the server's user. */
    ChildCommand.Builder command(Path program, String... arguments) {
        if (!switchUser) {
            return ChildCommand.of(program.toString(), arguments);
        }
        return ChildCommand.of("runuser", "-u", user, "--", program.toString()).args(List.of(arguments));
    }

    /** Gives {@code folder} and everything under it to the server's user. */
    void handOver(Path folder, String step) {
        if (!switchUser) {
            return;
        }
        UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
        try (Stream<Path> paths = Files.walk(folder)) {
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(user);
            for (Path path : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
                view.setOwner(owner);
                view.setGroup(group);
            }
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, step, "Could not give " + folder + " to the user " + user,
                    e.getMessage(), "The server will not run as root: create the OS user '" + user
                    + "' (installing the server package does) or run Ferry as an ordinary user");
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
