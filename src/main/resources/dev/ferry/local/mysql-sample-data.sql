-- A small shop for MySQL and MariaDB. Row counts follow the session variable @ferry_scale; values
-- derive from the row number only, so every load of the same scale holds the same data.
-- Runs as one multi-statement script (no DELIMITER: routine bodies are single statements).

-- numbers 1 .. 1000 * scale; a temporary table is never dumped
CREATE TEMPORARY TABLE ferry_numbers (i INT NOT NULL PRIMARY KEY);
INSERT INTO ferry_numbers (i)
WITH digits AS (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
                UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)
SELECT 1 + a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d
FROM digits a CROSS JOIN digits b CROSS JOIN digits c CROSS JOIN digits e CROSS JOIN digits f CROSS JOIN digits g
WHERE a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d < 1000 * @ferry_scale;

CREATE TABLE products (
    id         INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku        VARCHAR(20) NOT NULL UNIQUE,
    name       VARCHAR(100) NOT NULL,
    price      DECIMAL(10, 2) NOT NULL,
    attributes JSON NULL,
    thumbnail  BLOB NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE customers (
    id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    email        VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,
    signed_up_at DATETIME NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE orders (
    id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    ordered_at  DATETIME(3) NOT NULL,
    status      ENUM('new', 'paid', 'shipped', 'delivered', 'cancelled') NOT NULL,
    note        TEXT NULL,
    paid_at     TIMESTAMP NULL DEFAULT NULL,
    KEY orders_ordered_at_idx (ordered_at),
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 AUTO_INCREMENT = 100001;

CREATE TABLE order_items (
    order_id   BIGINT NOT NULL,
    line       SMALLINT NOT NULL,
    product_id INT NOT NULL,
    quantity   INT NOT NULL,
    unit_price DECIMAL(10, 2) NOT NULL,
    PRIMARY KEY (order_id, line),
    CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id),
    CONSTRAINT order_items_product_fk FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE order_audit (
    id       BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    action   VARCHAR(20) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- case matters here: 'café', 'Café' and 'CAFÉ' are three keys
CREATE TABLE tags (
    code  VARCHAR(32) NOT NULL PRIMARY KEY,
    label VARCHAR(100) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- fires while the sample loads; a restore creates it after the rows, so they are not doubled
CREATE TRIGGER orders_audit_insert AFTER INSERT ON orders
FOR EACH ROW INSERT INTO order_audit (order_id, action) VALUES (NEW.id, 'created');

INSERT INTO products (sku, name, price, attributes, thumbnail)
SELECT CONCAT('SKU-', LPAD(i, 7, '0')),
       CONCAT(ELT(1 + i % 6, 'Café crème', 'Smørrebrød', '日本茶', 'Crème brûlée', 'Rocket 🚀', 'Ñandú 😀'), ' #', i),
       1 + (i * 7919 % 50000) / 100,
       CASE WHEN i % 11 <> 0 THEN JSON_OBJECT('colour', ELT(1 + i % 3, 'red', 'grün', '青'),
                                              'weight_g', 50 + i % 950,
                                              'tags', JSON_ARRAY(CONCAT('tag', i % 7), 'ünïcödé ✓')) END,
       CASE WHEN i % 4 <> 0 THEN CONCAT(X'00FF', UNHEX(MD5(i)), X'000A0D5C27') END
FROM ferry_numbers WHERE i <= 20 * @ferry_scale;

INSERT INTO customers (name, email, signed_up_at)
SELECT CONCAT(ELT(1 + i % 6, 'Zoë', 'José', 'Björn', '山田 太郎', 'Ana 🌻', 'Łukasz'), ' ', i),
       CASE WHEN i % 17 <> 0 THEN CONCAT('customer', i, '@example.com') END,
       TIMESTAMP('2020-01-01 00:00:00') + INTERVAL i * 97 MINUTE
FROM ferry_numbers WHERE i <= 200 * @ferry_scale;

INSERT INTO orders (customer_id, ordered_at, status, note, paid_at)
SELECT 1 + (i * 31) % (200 * @ferry_scale),
       TIMESTAMP('2023-01-01 07:00:00') + INTERVAL i * 787250000 MICROSECOND,
       ELT(1 + i % 5, 'new', 'paid', 'shipped', 'delivered', 'cancelled'),
       CASE WHEN i % 9 = 0 THEN 'Bitte klingeln — 2. Stock 😀' END,
       CASE WHEN i % 5 IN (1, 2, 3) THEN TIMESTAMP('2023-06-01 12:00:00') + INTERVAL i MINUTE END
FROM ferry_numbers WHERE i <= 1000 * @ferry_scale ORDER BY i;

INSERT INTO order_items (order_id, line, product_id, quantity, unit_price)
SELECT o.id, l.line, p.id, 1 + (o.id + l.line) % 4, p.price
FROM orders o
CROSS JOIN (SELECT 1 AS line UNION ALL SELECT 2 UNION ALL SELECT 3) l
JOIN products p ON p.id = 1 + (o.id * 13 + l.line) % (20 * @ferry_scale);

INSERT INTO tags (code, label) VALUES ('café', 'lower case'), ('Café', 'capitalised'), ('CAFÉ', 'upper case'),
                                      ('emoji 😀', 'an emoji');

CREATE VIEW customer_order_counts AS
SELECT c.id, c.name, COUNT(o.id) AS orders
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name;

CREATE FUNCTION order_total(p_order_id BIGINT) RETURNS DECIMAL(12, 2)
READS SQL DATA
RETURN (SELECT COALESCE(SUM(quantity * unit_price), 0) FROM order_items WHERE order_id = p_order_id);

CREATE PROCEDURE cancel_order(IN p_order_id BIGINT)
MODIFIES SQL DATA
UPDATE orders SET status = 'cancelled' WHERE id = p_order_id;

-- disabled: the sample must not change by itself, wherever the event scheduler runs
CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DISABLE
DO DELETE FROM order_audit WHERE action = 'purged';

DROP TEMPORARY TABLE ferry_numbers;
