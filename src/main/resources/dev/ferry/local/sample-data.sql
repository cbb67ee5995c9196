-- A small shop. Row counts follow the session setting ferry.scale; values derive from the row
-- number only, so every load of the same scale holds the same data.
CREATE SEQUENCE order_number_seq START WITH 100001;

CREATE TABLE products (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku        text NOT NULL UNIQUE,
    name       text NOT NULL,
    price      numeric(10, 2) NOT NULL,
    attributes jsonb,
    thumbnail  bytea
);

CREATE TABLE customers (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL,
    email        text,
    signed_up_at timestamptz NOT NULL
);

CREATE TABLE orders (
    id          bigint PRIMARY KEY DEFAULT nextval('order_number_seq'),
    customer_id bigint NOT NULL REFERENCES customers (id),
    ordered_at  timestamptz NOT NULL,
    status      text NOT NULL,
    note        text
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_ordered_at_idx ON orders (ordered_at);

CREATE TABLE order_items (
    order_id   bigint NOT NULL REFERENCES orders (id),
    line       smallint NOT NULL,
    product_id integer NOT NULL REFERENCES products (id),
    quantity   integer NOT NULL,
    unit_price numeric(10, 2) NOT NULL,
    PRIMARY KEY (order_id, line)
);

INSERT INTO products (sku, name, price, attributes, thumbnail)
SELECT 'SKU-' || lpad(i::text, 7, '0'),
       (ARRAY['Café crème', 'Smørrebrød', '日本茶', 'Crème brûlée', 'Rocket 🚀', 'Ñandú plush'])[1 + i % 6] || ' #' || i,
       1 + (i * 7919 % 50000) / 100.0,
       CASE WHEN i % 11 <> 0 THEN jsonb_build_object('colour', (ARRAY['red', 'grün', '青'])[1 + i % 3],
                                                      'weight_g', 50 + i % 950,
                                                      'tags', jsonb_build_array('tag' || i % 7, 'ünïcödé ✓')) END,
       CASE WHEN i % 4 <> 0 THEN decode(md5(i::text), 'hex') END
FROM generate_series(1, 20 * current_setting('ferry.scale')::int) AS i;

INSERT INTO customers (name, email, signed_up_at)
SELECT (ARRAY['Zoë', 'José', 'Björn', '山田 太郎', 'Ana 🌻', 'Łukasz'])[1 + i % 6] || ' ' || i,
       CASE WHEN i % 17 <> 0 THEN 'customer' || i || '@example.com' END,
       timestamptz '2020-01-01 00:00:00+00' + i * interval '97 minutes'
FROM generate_series(1, 200 * current_setting('ferry.scale')::int) AS i;

INSERT INTO orders (customer_id, ordered_at, status, note)
SELECT 1 + (i * 31) % (200 * current_setting('ferry.scale')::int),
       timestamptz '2023-01-01 08:00:00+01' + i * interval '13 minutes 7.25 seconds',
       (ARRAY['new', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + i % 5],
       CASE WHEN i % 9 = 0 THEN 'Bitte klingeln — 2. Stock' END
FROM generate_series(1, 1000 * current_setting('ferry.scale')::int) AS i;

INSERT INTO order_items (order_id, line, product_id, quantity, unit_price)
SELECT o.id, line, p.id, 1 + (o.id + line) % 4, p.price
FROM orders o
CROSS JOIN generate_series(1, 3) AS line
JOIN products p ON p.id = 1 + (o.id * 13 + line) % (20 * current_setting('ferry.scale')::int);

CREATE VIEW customer_order_counts AS
SELECT c.id, c.name, count(o.id) AS orders
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name;

CREATE FUNCTION order_total(p_order_id bigint) RETURNS numeric
LANGUAGE plpgsql STABLE AS $$
DECLARE
    total numeric;
BEGIN
    SELECT coalesce(sum(quantity * unit_price), 0) INTO total FROM order_items WHERE order_id = p_order_id;
    RETURN total;
END;
$$;
