package dev.ferry.engine;

import dev.ferry.engine.mysql.MySqlEngine;
import dev.ferry.engine.postgres.PostgresEngine;
import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engines' write freeze on real servers: writers are held off, readers are not, and closing lifts it. */
class WriteFreezeTest {

    private static void freezeHoldsOffWritersOnly(LocalDatabaseServer server, Engine engine, String lockTimeout) {
        server.createDatabase("shop");
        server.execute("shop", "CREATE TABLE items (id int)");
        server.execute("shop", "INSERT INTO items VALUES (1)");

        try (WriteFreeze freeze = engine.freezeWrites(server.endpoint("shop"), "freeze-source")) {
            assertThat(freeze.describe()).contains("shop");
            assertThat(server.queryValue("shop", "SELECT count(*) FROM items")).isEqualTo("1");
            assertThatThrownBy(() -> server.execute("shop", lockTimeout + "INSERT INTO items VALUES (2)"))
                    .as("a writer waits for the freeze and gives up").hasMessageContaining("ock");
        }

        server.execute("shop", "INSERT INTO items VALUES (3)");
        assertThat(server.queryValue("shop", "SELECT count(*) FROM items")).isEqualTo("2");
    }

    @Test
    void postgresWritersWaitWhileReadersGoOn() {
        try (LocalPostgres server = LocalPostgres.start(PostgresBinaries.system())) {
            freezeHoldsOffWritersOnly(server, new PostgresEngine(), "SET lock_timeout = '500ms'; ");
        }
    }

    @Test
    void mariaDbWritersWaitWhileReadersGoOn() {
        try (LocalMariaDb server = LocalMariaDb.start()) {
            freezeHoldsOffWritersOnly(server, new MySqlEngine(), "SET SESSION lock_wait_timeout = 1; ");
        }
    }
}
