package dev.ferry.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SampleDataTest {

    private static LocalPostgres pg;

    @BeforeAll
    static void startServer() {
        pg = LocalPostgres.start(PostgresBinaries.system());
    }

    @AfterAll
    static void stopServer() {
        pg.close();
    }

    @Test
    void scaleOneIsSmallAndVaried() {
        pg.createDatabase("small");
        SampleData.load(pg, "small", 1);

        assertThat(pg.queryValue("small", "SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM customers)"
                + " + (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_items)"))
                .isEqualTo(Long.toString(SampleData.rowCount(1)));
        assertThat(pg.queryValue("small", "SELECT count(*) FROM customers WHERE email IS NULL")).isNotEqualTo("0");
        assertThat(pg.queryValue("small", "SELECT count(*) FROM customers WHERE name LIKE '山田%'")).isNotEqualTo("0");
        assertThat(pg.queryValue("small", "SELECT count(*) FROM products WHERE name LIKE '%🚀%'")).isNotEqualTo("0");
        assertThat(pg.queryValue("small", "SELECT order_total(100001) > 0")).isEqualTo("t");
        assertThat(pg.queryValue("small", "SELECT last_value FROM order_number_seq")).isEqualTo("101000");
        assertThat(pg.queryValue("small", "SELECT count(*) FROM customer_order_counts")).isEqualTo("200");
    }

    @Test
    void demoScaleMakesAHundredThousandRowsQuickly() {
        pg.createDatabase("demo");
        long started = System.nanoTime();
        SampleData.load(pg, "demo", SampleData.DEMO_SCALE);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;

        assertThat(SampleData.rowCount(SampleData.DEMO_SCALE)).isGreaterThanOrEqualTo(100_000);
        assertThat(pg.queryValue("demo", "SELECT count(*) FROM order_items"))
                .isEqualTo(Integer.toString(3000 * SampleData.DEMO_SCALE));
        assertThat(seconds).isLessThan(30);
    }
}
