package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressionTest {

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTrips(Compression compression) throws IOException {
        byte[] input = sample();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = compression.compress(stored)) {
            out.write(input, 0, 1000);
            out.write(input[1000]);
            out.write(input, 1001, input.length - 1001);
        }
        if (compression != Compression.NONE) {
            assertThat(stored.size()).isLessThan(input.length / 2);
        }
        try (InputStream in = compression.decompress(new ByteArrayInputStream(stored.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "GZIP"})
    void levelIsHonoured(Compression compression) throws IOException {
        byte[] input = sample();
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        try (OutputStream out = compression.compress(fast, 1)) {
            out.write(input);
        }
        try (InputStream in = compression.decompress(new ByteArrayInputStream(fast.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
    }

    @Test
    void emptyInputRoundTrips() throws IOException {
        for (Compression compression : Compression.values()) {
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            compression.compress(stored).close();
            assertThat(compression.decompress(new ByteArrayInputStream(stored.toByteArray())).readAllBytes()).isEmpty();
        }
    }

    @Test
    void namesAndSuffixes() {
        assertThat(Compression.ZSTD.fileSuffix()).isEqualTo(".zst");
        assertThat(Compression.GZIP.fileSuffix()).isEqualTo(".gz");
        assertThat(Compression.NONE.fileSuffix()).isEmpty();
        assertThat(Compression.ZSTD.defaultLevel()).isEqualTo(3);
        assertThat(Compression.fromId("ZStd", "x")).isEqualTo(Compression.ZSTD);
        assertThatThrownBy(() -> Compression.fromId("lz4", "parse-migration"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT);
                    assertThat(e.next()).contains("zstd", "gzip", "none");
                });
    }

    /** Text-like data: compressible, but with some randomness so it is not trivial. */
    private static byte[] sample() {
        SplittableRandom random = new SplittableRandom(11);
        StringBuilder text = new StringBuilder();
        while (text.length() < 2_000_000) {
            text.append("INSERT INTO orders VALUES (").append(random.nextInt(100_000)).append(", 'customer-")
                    .append(random.nextInt(500)).append("');\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
