package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Secret;
import dev.ferry.storage.ObjectStoreSettings;
import dev.ferry.storage.S3ClientFactory;
import dev.ferry.storage.StorageFailures;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway S3 server: s3proxy in its own Java process on a filesystem backend in a temporary
 * folder, with random credentials, plain HTTP and HTTPS (a certificate generated at start) on free
 * loopback ports. The secret key only ever sits in this JVM's memory and in a 0600 properties file.
 * Closing stops the process and deletes the folder; a shutdown hook does the same if nobody closes it.
 */
public final class LocalS3Server implements AutoCloseable {

    private static final String STEP = "local-s3";
    private static final String MAIN_CLASS = "org.gaul.s3proxy.Main";
    private static final long START_TIMEOUT_MILLIS = 60_000;
    private static final int START_ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Path basedir;
    private volatile Process process;
    private final int httpPort;
    private final int httpsPort;
    private final String accessKey;
    private final Secret secretKey;
    private final SelfSignedKeystore keystore;
    private final Thread shutdownHook;

    private LocalS3Server(Path root, Path basedir, Process process, int httpPort, int httpsPort,
                          String accessKey, Secret secretKey, SelfSignedKeystore keystore) {
        this.root = root;
        this.basedir = basedir;
        this.process = process;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.keystore = keystore;
        this.shutdownHook = new Thread(this::stopAndDelete, "local-s3-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static LocalS3Server start() {
        Path jar = LocalServers.file("s3proxy.jar", STEP);
        Path root = createPrivateFolder();
        try {
            Path basedir = Files.createDirectory(root.resolve("data"));
            SelfSignedKeystore keystore = SelfSignedKeystore.generate(root, STEP);
            String accessKey = "FERRY" + randomToken(12).toUpperCase().replaceAll("[^A-Z0-9]", "X");
            Secret secretKey = Secret.of(randomToken(30), "local-s3-server");
            Path properties = root.resolve("s3proxy.properties");
            Path log = root.resolve("s3proxy.log");
            for (int attempt = 1; ; attempt++) {
                int httpPort = FreePort.onLoopback(STEP);
                int httpsPort = FreePort.onLoopback(STEP);
                writeProperties(properties, basedir, httpPort, httpsPort, accessKey, secretKey, keystore);
                Process process = launch(jar, properties, log);
                if (awaitPorts(process, httpPort, httpsPort)) {
                    return new LocalS3Server(root, basedir, process, httpPort, httpsPort, accessKey, secretKey, keystore);
                }
                destroy(process);
                // Another process may have taken a port between probing and binding: try new ports.
                if (attempt == START_ATTEMPTS) {
                    throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "The local S3 server (s3proxy) did not start",
                            logTail(log), "Check the log above; s3proxy needs Java 17 and two free loopback ports");
                }
            }
        } catch (IOException e) {
            deleteRecursively(root);
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not prepare the local S3 server's folder",
                    e.getMessage(), "Check free space and permissions of " + root.getParent());
        } catch (RuntimeException e) {
            deleteRecursively(root);
            throw e;
        }
    }

    public URI httpEndpoint() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public URI httpsEndpoint() {
        return URI.create("https://127.0.0.1:" + httpsPort);
    }

    public String accessKey() {
        return accessKey;
    }

    public Secret secretKey() {
        return secretKey;
    }

    /** The server's certificate (self-signed, so also its CA) as PEM, for clients that verify TLS. */
    public Path caCertificatePem() {
        return keystore.certificatePem();
    }

    /** The folder that holds the buckets, one sub-folder per bucket. */
    public Path basedir() {
        return basedir;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Settings for a client of this server over plain HTTP. */
    public ObjectStoreSettings httpSettings(String bucket) {
        return ObjectStoreSettings.of(httpEndpoint(), bucket, accessKey, secretKey);
    }

    /** Settings for a client of this server over HTTPS, trusting exactly this server's certificate. */
    public ObjectStoreSettings httpsSettings(String bucket) {
        return ObjectStoreSettings.of(httpsEndpoint(), bucket, accessKey, secretKey).withCaBundle(caCertificatePem());
    }

    public void createBucket(String bucket) {
        try (S3Client client = S3ClientFactory.create(httpSettings(bucket), STEP)) {
            client.createBucket(request -> request.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // already there: what the caller wanted
        } catch (SdkException e) {
            throw StorageFailures.of(STEP, "Could not create bucket " + bucket + " on the local S3 server", e);
        }
    }

    /** Starts the server again after {@link #kill()}, on the same ports and with the same data. */
    public synchronized void restart() {
        if (process.isAlive()) {
            return;
        }
        try {
            Process started = launch(LocalServers.file("s3proxy.jar", STEP), root.resolve("s3proxy.properties"), root.resolve("s3proxy.log"));
            if (!awaitPorts(started, httpPort, httpsPort)) {
                destroy(started);
                throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "The local S3 server did not start again",
                        logTail(root.resolve("s3proxy.log")), "Check that its ports are still free");
            }
            process = started;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.CHILD_PROCESS, STEP, "Could not start the local S3 server again", e.getMessage(),
                    "Check the log in " + root);
        }
    }

    /** Ends the server process at once, as a crash would; the folder stays until {@link #close()}. */
    public void kill() {
        destroy(process);
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
    }

    private void stopAndDelete() {
        destroy(process);
        deleteRecursively(root);
    }

    private static Process launch(Path jar, Path properties, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", jar.toString(), MAIN_CLASS,
                "--properties", properties.toString());
        builder.environment().put("LOG_LEVEL", "warn");
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return builder.start();
    }

    private static void writeProperties(Path file, Path basedir, int httpPort, int httpsPort, String accessKey,
                                        Secret secretKey, SelfSignedKeystore keystore) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + httpPort);
        properties.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:" + httpsPort);
        properties.setProperty("s3proxy.keystore-path", keystore.keystore().toString());
        properties.setProperty("s3proxy.keystore-password", keystore.password());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", accessKey);
        properties.setProperty("s3proxy.credential", secretKey.reveal());
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.filesystem.basedir", basedir.toString());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            properties.store(writer, "Ferry local S3 server (throwaway)");
        }
    }

    /** True once both ports answer; false when the process exits first. */
    private static boolean awaitPorts(Process process, int httpPort, int httpsPort) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (FreePort.answers(httpPort) && FreePort.answers(httpsPort)) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path createPrivateFolder() {
        try {
            return Files.createTempDirectory("ferry-s3-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, STEP, "Could not create a temporary folder for the local S3 server",
                    e.getMessage(), "Check free space and permissions of " + System.getProperty("java.io.tmpdir"));
        }
    }

    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "its log " + log + " could not be read";
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.forEach(paths::add);
        } catch (IOException e) {
            return;
        }
        paths.sort(Comparator.reverseOrder());
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // best effort: the folder is in the temporary area
            }
        }
    }

    @Override
    public String toString() {
        return "LocalS3Server[" + httpEndpoint() + ", " + httpsEndpoint() + ", " + basedir + "]";
    }
}
