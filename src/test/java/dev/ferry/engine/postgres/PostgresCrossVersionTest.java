package dev.ferry.engine.postgres;

import dev.ferry.engine.DatabaseEndpoint;
import dev.ferry.engine.DumpOptions;
import dev.ferry.engine.DumpPart;
import dev.ferry.engine.Engine;
import dev.ferry.engine.FigureRequest;
import dev.ferry.engine.Inventory;
import dev.ferry.engine.RestoreOptions;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.local.SampleData;
import dev.ferry.smoke.InventoryComparison;
import dev.ferry.testing.ChildRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real use case: an old server's database moved, with its roles, to a newer server. */
class PostgresCrossVersionTest {

    private final Engine engine = new PostgresEngine();

    @Test
    void movesADatabaseWithItsRolesFromPostgres13ToPostgres17(@TempDir Path dumps) throws IOException {
        try (LocalPostgres old = LocalPostgres.start(PostgresBinaries.bundled(13));
             LocalPostgres newer = LocalPostgres.start(PostgresBinaries.bundled(17))) {
            DatabaseEndpoint source = old.endpoint("shop");
            DatabaseEndpoint target = newer.endpoint("shop");
            assertThat(engine.probeServer(old.endpoint("postgres"), "preflight").major()).isEqualTo(13);
            assertThat(engine.probeServer(newer.endpoint("postgres"), "preflight").major()).isEqualTo(17);
            old.createDatabase("shop");
            SampleData.load(old, "shop", 1);
            old.execute("shop", "CREATE ROLE shop_reader LOGIN");

            List<DumpPart> parts = engine.dumpParts(source, new DumpOptions(true));
            Path globals = ChildRuns.dump(engine, parts.get(0), dumps);
            Path database = ChildRuns.dump(engine, parts.get(1), dumps);
            engine.ensureDatabase(target, "import");
            assertThat(engine.isEmpty(target, "preflight")).isTrue();
            ChildRuns.restore(engine, engine.restorePart(parts.get(0).format(), target, new RestoreOptions(false, 1, null)), globals);
            ChildRuns.restore(engine, engine.restorePart(parts.get(1).format(), target, new RestoreOptions(false, 1, null)), database);

            assertThat(newer.queryValue("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'shop_reader'")).isEqualTo("1");
            // as a migration compares: the target hashes rows the way the older source did
            Inventory before = engine.inventory(source, new FigureRequest(true, null, Map.of(), 2), "dump");
            Inventory after = engine.inventory(target, new FigureRequest(true, before.rowHash(), Map.of(), 2), "smoke-test");
            assertThat(InventoryComparison.differences(before, after)).isEmpty();
            assertThat(before.tables()).isNotEmpty();
        }
    }
}
