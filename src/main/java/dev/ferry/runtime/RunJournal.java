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
                    StandardOpenOption.APPEND);
            return new RunJournal(file, channel);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, null, "Cannot open the run journal in " + runDirectory,
                    e.getMessage(), "Check that the state folder is writable (--state-dir)");
        }
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

    public synchronized void append(JournalEvent event) {
        try {
            String line = Redactor.redact(Json.MAPPER.writeValueAsString(event)) + "\n";
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, null, "Cannot write the run journal " + file, e.getMessage(),
                    "Check free space and permissions of the state folder");
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
