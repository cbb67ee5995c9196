package dev.ferry.local;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LocalPostgresTest {

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of("system (Debian)", 15, (Supplier<PostgresBinaries>) PostgresBinaries::system),
                Arguments.of("bundled 13", 13, (Supplier<PostgresBinaries>) () -> PostgresBinaries.bundled(13)),
                Arguments.of("bundled 17", 17, (Supplier<PostgresBinaries>) () -> PostgresBinaries.bundled(17)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void startsRunsSqlAndLeavesNothingBehind(String label, int major, Supplier<PostgresBinaries> binaries) {
        Path folder;
        long pid;
        try (LocalPostgres pg = LocalPostgres.start(binaries.get())) {
            folder = pg.folder();
            pid = pg.pid();
            assertThat(pg.majorVersion()).isEqualTo(major);
            assertThat(pg.queryValue("postgres", "SHOW server_version_num")).startsWith(Integer.toString(major));
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            pg.createDatabase("shop été");
            pg.execute("shop été", "CREATE TABLE t (id int, name text); INSERT INTO t VALUES (1, 'Zoë 日本 🚀'), (2, NULL)");

            assertThat(pg.queryValue("shop été", "SELECT name FROM t WHERE id = 1")).isEqualTo("Zoë 日本 🚀");
            assertThat(pg.queryValue("shop été", "SELECT name FROM t WHERE id = 2")).isEqualTo("null");
            assertThat(pg.queryValue("shop été", "SHOW server_encoding")).isEqualTo("UTF8");
        }
        assertThat(folder).doesNotExist();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
