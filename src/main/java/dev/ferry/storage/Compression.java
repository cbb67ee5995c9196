package dev.ferry.storage;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How dump objects are compressed on their way to storage. Closing the returned stream closes the wrapped one. */
public enum Compression {

    ZSTD(".zst", 3) {
        @Override
        public OutputStream compress(OutputStream out, int level) throws IOException {
            ZstdOutputStream zstd = new ZstdOutputStream(out, level);
            zstd.setWorkers(Runtime.getRuntime().availableProcessors());
            return zstd;
        }

        @Override
        public InputStream decompress(InputStream in) throws IOException {
            return new ZstdInputStream(in);
        }
    },

    GZIP(".gz", 6) {
        @Override
        public OutputStream compress(OutputStream out, int level) throws IOException {
            return new GZIPOutputStream(out, BUFFER_SIZE) {
                {
                    def.setLevel(level);
                }
            };
        }

        @Override
        public InputStream decompress(InputStream in) throws IOException {
            return new GZIPInputStream(in, BUFFER_SIZE);
        }
    },

    NONE("", 0) {
        @Override
        public OutputStream compress(OutputStream out, int level) {
            return out;
        }

        @Override
        public InputStream decompress(InputStream in) {
            return in;
        }
    };

    private static final int BUFFER_SIZE = 64 * 1024;

    private final String fileSuffix;
    private final int defaultLevel;

    Compression(String fileSuffix, int defaultLevel) {
        this.fileSuffix = fileSuffix;
        this.defaultLevel = defaultLevel;
    }

    public abstract OutputStream compress(OutputStream out, int level) throws IOException;

    public abstract InputStream decompress(InputStream in) throws IOException;

    public OutputStream compress(OutputStream out) throws IOException {
        return compress(out, defaultLevel);
    }

    /** Appended to an object's name: {@code .zst}, {@code .gz} or nothing. */
    public String fileSuffix() {
        return fileSuffix;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** The name written to manifests and accepted in migration files: {@code zstd}, {@code gzip}, {@code none}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression fromId(String id, String step) {
        for (Compression compression : values()) {
            if (compression.id().equalsIgnoreCase(id)) {
                return compression;
            }
        }
        throw new FerryException(ErrorCode.BAD_INPUT, step, "Unknown compression '" + id + "'", null,
                "Use one of " + Arrays.stream(values()).map(Compression::id).toList());
    }
}
