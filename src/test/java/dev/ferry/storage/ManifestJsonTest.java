package dev.ferry.storage;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestJsonTest {

    static Manifest sample(ArtifactFolder folder) {
        return new Manifest(Manifest.FORMAT_VERSION, "postgresql", "13.22", "pg_dump", "17.5", "pg_dump-custom", "zstd",
                folder.createdAt(), folder.createdAt().plusSeconds(42), new Manifest.Source("db.example", 5432, folder.database()),
                List.of(new Manifest.StoredObject("shop.dump.zst", folder.objectKey("shop.dump.zst"), "pg_dump-custom",
                        1234, "ab".repeat(32), 5678)),
                Map.of("tables", Map.of("public.orders", 10)));
    }

    @Test
    void roundTripsWithIsoTimes() {
        Manifest manifest = sample(ArtifactLayout.folder("p", "shop", Instant.parse("2025-01-02T03:04:05Z")));
        byte[] json = ManifestJson.write(manifest);
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"createdAt\" : \"2025-01-02T03:04:05Z\"").doesNotContain("user").doesNotContain("password");
        assertThat(ManifestJson.read(json, "import", "x")).isEqualTo(manifest);
        assertThat(manifest.object("shop.dump.zst")).isPresent();
    }

    @Test
    void ignoresUnknownFieldsButRefusesNewerFormats() {
        String newer = "{\"formatVersion\": 1, \"engine\": \"postgresql\", \"addedLater\": true}";
        assertThat(ManifestJson.read(newer.getBytes(StandardCharsets.UTF_8), "import", "x").engine()).isEqualTo("postgresql");
        assertThatThrownBy(() -> ManifestJson.read("{\"formatVersion\": 99}".getBytes(StandardCharsets.UTF_8), "import", "x"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_MISMATCH));
        assertThatThrownBy(() -> ManifestJson.read("not json".getBytes(StandardCharsets.UTF_8), "import", "s3://b/m.json"))
                .isInstanceOfSatisfying(FerryException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORAGE);
                    assertThat(e.getMessage()).contains("s3://b/m.json");
                });
    }
}
