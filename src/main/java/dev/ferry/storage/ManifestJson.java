package dev.ferry.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads and writes manifest.json: times as ISO-8601 text, unknown fields ignored for newer minor additions. */
public final class ManifestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestJson() {
    }

    public static byte[] write(Manifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("a manifest always serialises", e);
        }
    }

    /** @param where names the manifest in failures, for example its s3:// URI */
    public static Manifest read(byte[] json, String step, String where) {
        Manifest manifest;
        try {
            manifest = MAPPER.readValue(json, Manifest.class);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException invalid ? invalid.getOriginalMessage() : e.getMessage();
            throw new FerryException(ErrorCode.STORAGE, step, "Could not read " + where,
                    "it is not a valid Ferry manifest (" + reason + ")",
                    "Pick another artifact (from a run's report, or for a backup migration 'ferry backups list FILE') or dump again");
        }
        if (manifest.formatVersion() > Manifest.FORMAT_VERSION) {
            throw new FerryException(ErrorCode.VERSION_MISMATCH, step, "Could not read " + where,
                    "it has manifest format " + manifest.formatVersion() + " and this Ferry reads up to " + Manifest.FORMAT_VERSION,
                    "Use a newer Ferry to import it");
        }
        return manifest;
    }
}
