package dev.ferry.engine;

import dev.ferry.engine.mysql.MySqlEngine;
import dev.ferry.engine.postgres.PostgresEngine;
import dev.ferry.local.LocalDatabaseServer;
import dev.ferry.local.LocalMariaDb;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

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

    /**
     * What a client sees of the durable (cutover) freeze: an open transaction that wrote is ended
     * and its row lost, new writes fail with the engine's read-only error, reads go on; released,
     * writes succeed again.
     */
    private static void durableFreezeRefusesWritesUntilReleased(LocalDatabaseServer server, Engine engine, String url, String user,
                                                                String password, String readOnlyState, int readOnlyCode)
            throws SQLException {
        DatabaseEndpoint endpoint = server.endpoint("shop");
        try (Connection open = DriverManager.getConnection(url, user, password)) {
            open.setAutoCommit(false);
            try (Statement statement = open.createStatement()) {
                statement.execute("INSERT INTO items VALUES (10)");
            }

            assertThat(engine.freezeWritesDurably(endpoint, "freeze-source")).contains("read-only", "1 open session(s) ended");

            assertThatThrownBy(open::commit).as("the open transaction was ended").isInstanceOf(SQLException.class);
        }
        assertThat(engine.writesFrozen(endpoint, "freeze-source")).isTrue();
        try (Connection client = DriverManager.getConnection(url, user, password); Statement statement = client.createStatement()) {
            assertThat(statement.executeQuery("SELECT count(*) FROM items")).satisfies(r -> {
                r.next();
                assertThat(r.getLong(1)).as("reads go on; the ended transaction's row is gone").isEqualTo(1);
            });
            assertThatThrownBy(() -> statement.execute("INSERT INTO items VALUES (11)")).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(readOnlyState == null ? e.getErrorCode() : e.getSQLState()).isEqualTo(
                            readOnlyState == null ? (Object) readOnlyCode : readOnlyState));
        }
        assertThat(engine.freezeWritesDurably(endpoint, "freeze-source")).as("freezing again is harmless").contains("read-only");

        assertThat(engine.releaseWrites(endpoint, "release-source")).contains("writable again");

        assertThat(engine.writesFrozen(endpoint, "release-source")).isFalse();
        try (Connection client = DriverManager.getConnection(url, user, password); Statement statement = client.createStatement()) {
            statement.execute("INSERT INTO items VALUES (12)");
        }
        assertThat(server.queryValue("shop", "SELECT count(*) FROM items")).isEqualTo("2");
    }

    @Test
    void postgresDurableFreezeMakesTheDatabaseReadOnlyUntilReleased() throws SQLException {
        try (LocalPostgres server = LocalPostgres.start(PostgresBinaries.system())) {
            server.createDatabase("shop");
            server.execute("shop", "CREATE TABLE items (id int)");
            server.execute("shop", "INSERT INTO items VALUES (1)");
            durableFreezeRefusesWritesUntilReleased(server, new PostgresEngine(),
                    "jdbc:postgresql://" + server.host() + ":" + server.port() + "/shop", server.superuser(), server.password().reveal(),
                    "25006", 0);
        }
    }

    @Test
    void mariaDbDurableFreezeMakesTheServerReadOnlyForApplicationsUntilReleased() throws SQLException {
        try (LocalMariaDb server = LocalMariaDb.start()) {
            server.createDatabase("shop");
            server.execute("shop", "CREATE TABLE items (id int) ENGINE=InnoDB");
            server.execute("shop", "INSERT INTO items VALUES (1)");
            server.execute("shop", "CREATE USER 'app'@'%' IDENTIFIED BY 'app-password-2'");
            server.execute("shop", "GRANT SELECT, INSERT ON shop.* TO 'app'@'%'");
            durableFreezeRefusesWritesUntilReleased(server, new MySqlEngine(),
                    "jdbc:mariadb://" + server.host() + ":" + server.port() + "/shop", "app", "app-password-2", null, 1290);
        }
    }
}
