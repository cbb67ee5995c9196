package dev.ferry.everest.api;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineKeysTest {

    @Test
    void everyNameOfAnEngineMapsToItsEverestType() {
        // "postgres" once made a PXC cluster: every name but "postgresql" mapped to pxc
        assertThat(EngineKeys.engineTypeFor("postgres", "test")).isEqualTo("postgresql");
        assertThat(EngineKeys.engineTypeFor("PostgreSQL", "test")).isEqualTo("postgresql");
        assertThat(EngineKeys.engineTypeFor("postgresql", "test")).isEqualTo("postgresql");
        assertThat(EngineKeys.engineTypeFor("mariadb", "test")).isEqualTo("pxc");
        assertThat(EngineKeys.engineTypeFor("mysql", "test")).isEqualTo("pxc");
    }

    @Test
    void anUnknownEngineIsRefusedNotMadeIntoACluster() {
        assertThatThrownBy(() -> EngineKeys.engineTypeFor("oracle", "test"))
                .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("oracle");
    }
}
