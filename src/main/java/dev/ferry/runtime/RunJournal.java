package dev.ferry.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.credentials.Redactor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's journal: one JSON object per line, appended and forced to disk before the run goes on,
 * so a crash loses at most the line being written. Every line passes the {@link Redactor}.
 */
public final class RunJournal implements AutoCloseable {

    public static final String FILE_NAME = "journal.jsonl";

    private final Path file;
    private final FileChannel channel;

    private RunJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    public static RunJournal open(Path runDirectory) {
        try {
            Files.createDirectories(runDirectory);
            Path file = runDirectory.resolve(FILE_NAME);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            dropTornLine(channel);
            return new RunJournal(file, channel);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, null, "Cannot open the run journal in " + runDirectory,
                    e.getMessage(), "Check that the state folder is writable (--state-dir)");
        }
    }

    /** Cuts a last line without its newline (a crash or a full disk mid-write), so the next line starts on its own. */
    private static void dropTornLine(FileChannel channel) throws IOException {
        long size = channel.size();
        long end = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (end > 0) {
            one.clear();
            channel.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        if (end < size) {
            channel.truncate(end);
            channel.force(true);
        }
        channel.position(end);
    }

    public static List<JournalEvent> read(Path runDirectory) {
        Path file = runDirectory.resolve(FILE_NAME);
        List<JournalEvent> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        events.add(Json.MAPPER.readValue(line, JournalEvent.class));
                    } catch (JsonProcessingException torn) {
                        // the last line of a crashed run may be torn; everything before it stands
                    }
                }
            }
            return events;
        } catch (IOException e) {
            throw new FerryException(ErrorCode.BAD_INPUT, null, "Cannot read the journal " + file, e.getMessage(),
                    "Check the run id with 'ferry runs'");
        }
    }

    /**
     * Appends one whole line and forces it to disk. A line that cannot be written whole (a full
     * disk) is cut off again, so the journal keeps only whole lines, and the run stops.
     */
    public synchronized void append(JournalEvent event) {
        String line;
        try {
            line = Redactor.redact(Json.MAPPER.writeValueAsString(event)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a journal event always serialises", e);
        }
        long before = -1;
        try {
            before = channel.size();
            channel.position(before);
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            cutBackTo(before);
            throw new FerryException(ErrorCode.INTERNAL, null, "Cannot write the run journal " + file,
                    e.getMessage() + " (the state folder is full or not writable; the journal keeps only whole lines)",
                    "Free space in " + file.getParent().getParent().getParent() + " (or fix its permissions), then resume the run with "
                            + "'ferry resume " + file.getParent().getFileName() + "'");
        }
    }

    private void cutBackTo(long size) {
        if (size < 0) {
            return;
        }
        try {
            channel.truncate(size);
            channel.position(size);
        } catch (IOException ignored) {
            // the next open drops the torn line
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to flush: every append was forced
        }
    }
}
