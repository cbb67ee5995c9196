package dev.ferry.storage;

import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactLayoutTest {

    private static final Instant AT = Instant.parse("2025-03-04T05:06:07.890Z");

    @Test
    void folderIsPrefixDatabaseAndUtcTimestamp() {
        assertThat(ArtifactLayout.folder("/backups//prod/", "shop", AT).path()).isEqualTo("backups/prod/shop/20250304T050607Z/");
        assertThat(ArtifactLayout.folder("", "shop", AT).path()).isEqualTo("shop/20250304T050607Z/");
        assertThat(ArtifactLayout.folder(null, "shop", AT).manifestKey()).isEqualTo("shop/20250304T050607Z/manifest.json");
        assertThat(ArtifactLayout.databaseFolder("a/", "shop")).isEqualTo("a/shop/");
    }

    @Test
    void normalisesPrefixes() {
        assertThat(ArtifactLayout.normalisePrefix("/")).isEmpty();
        assertThat(ArtifactLayout.normalisePrefix("  ")).isEmpty();
        assertThat(ArtifactLayout.normalisePrefix("//a///b//")).isEqualTo("a/b");
    }

    @Test
    void parsesFoldersAndKeysBack() {
        ArtifactFolder folder = ArtifactLayout.folder("x/y", "shop", AT);
        assertThat(ArtifactLayout.parse(folder.path())).contains(folder);
        assertThat(ArtifactLayout.parse(folder.objectKey("shop.dump.zst"))).contains(folder);
        assertThat(ArtifactLayout.parse("shop/20250304T050607Z")).contains(ArtifactLayout.folder("", "shop", AT));
        assertThat(ArtifactLayout.parse("shop/latest/")).isEmpty();
        assertThat(folder.createdAt()).isEqualTo(Instant.parse("2025-03-04T05:06:07Z"));
    }

    @Test
    void refusesDatabaseNamesThatAreNotOneSegment() {
        assertThatThrownBy(() -> ArtifactLayout.folder("", "a/b", AT)).isInstanceOf(FerryException.class);
        assertThatThrownBy(() -> ArtifactLayout.folder("", " ", AT)).isInstanceOf(FerryException.class);
    }

    @Test
    void aRunsFolderCarriesItsRunIdAndOlderFoldersWithoutOneStillParse() {
        ArtifactFolder folder = ArtifactLayout.folder("p", "shop", AT, "20250304-050607-a1b2c3");
        assertThat(folder.path()).isEqualTo("p/shop/20250304T050607Z-20250304-050607-a1b2c3/");
        assertThat(ArtifactLayout.parse(folder.objectKey("database.dump.zst"))).contains(folder);
        assertThat(ArtifactLayout.parse("p/shop/20250304T050607Z/")).contains(ArtifactLayout.folder("p", "shop", AT));
        assertThat(ArtifactLayout.folder("p", "shop", AT, "run-1")).isNotEqualTo(ArtifactLayout.folder("p", "shop", AT, "run-2"));
    }

    @Test
    void manifestKeysAreRelativeToTheFolderTheyAreReadFrom() {
        ArtifactFolder copy = ArtifactLayout.folder("copies", "shop", AT, "run-1");
        assertThat(copy.resolve("database.dump.zst")).isEqualTo("copies/shop/20250304T050607Z-run-1/database.dump.zst");
        assertThat(copy.resolve("original/shop/20250304T050607Z/database.dump.zst"))
                .as("an older manifest's absolute key").isEqualTo("copies/shop/20250304T050607Z-run-1/database.dump.zst");
    }
}
