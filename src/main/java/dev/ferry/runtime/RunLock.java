package dev.ferry.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run per migration on this machine: {@code <state>/locks/<migration>.lock}, held with an
 * operating-system lock for the run's life and holding who holds it (run id, host, pid, since). The
 * kernel drops the lock when its process dies however it dies, so a lock left by a dead run is taken
 * over without a question; the file's content only names the holder to whoever is refused.
 */
public final class RunLock implements AutoCloseable {

    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    /** Who holds a lock. */
    public record Holder(String runId, String host, long pid, Instant since) {
        String describe() {
            return "run " + runId + " on " + host + " (pid " + pid + ") since " + since;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code migration} for {@code runId}, or refuses (exit 2) naming the run that holds it. */
    public static RunLock acquire(Path stateRoot, String migration, String runId) {
        Path file = stateRoot.resolve("locks").resolve(migration.replaceAll("[^A-Za-z0-9._-]", "_") + ".lock");
        FileChannel channel = null;
        boolean added = false;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            added = HELD_HERE.add(file);
            FileLock lock = added ? tryLock(channel) : null;
            if (lock == null) {
                if (added) {
                    HELD_HERE.remove(file);
                    added = false;
                }
                String holder = holderText(file);
                channel.close();
                throw new FerryException(ErrorCode.RUN_LOCKED, null, "Migration " + migration + " is already running",
                        "its lock " + file + " is held by " + holder,
                        "Wait for that run to end, or stop it; a second run of the same migration at once would mix their artifacts");
            }
            Holder mine = new Holder(runId, host(), ProcessHandle.current().pid(), Instant.now());
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Json.MAPPER.writeValueAsBytes(mine)), 0);
            channel.force(true);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            if (added) {
                HELD_HERE.remove(file);
            }
            closeQuietly(channel);
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot take the run lock " + file, e.getMessage(),
                    "Check that the state folder is writable and has free space (--state-dir)");
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String holderText(Path file) {
        try {
            Holder holder = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), Holder.class);
            return holder.describe();
        } catch (JsonProcessingException e) {
            return "a run that is still starting";
        } catch (IOException e) {
            return "another run (" + e.getMessage() + ")";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    /** Releases the lock; the file stays (naming the last holder) and is reused by the next run. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases the lock too
        }
        closeQuietly(channel);
        HELD_HERE.remove(file);
    }
}
