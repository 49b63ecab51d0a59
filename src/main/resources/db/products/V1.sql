-- The book's product database (listing 5.2): five tables, the two colours and three sizes.
-- No index on sku.product_id, as in the book: the 5.7 join finds a product's SKUs by scanning.
CREATE TABLE IF NOT EXISTS brand (
    brand_id   SERIAL PRIMARY KEY,
    brand_name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS product (
    product_id   SERIAL PRIMARY KEY,
    product_name TEXT NOT NULL,
    brand_id     INT  NOT NULL REFERENCES brand (brand_id)
);
CREATE TABLE IF NOT EXISTS product_color (
    product_color_id   SERIAL PRIMARY KEY,
    product_color_name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS product_size (
    product_size_id   SERIAL PRIMARY KEY,
    product_size_name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sku (
    sku_id           SERIAL PRIMARY KEY,
    product_id       INT NOT NULL REFERENCES product (product_id),
    product_size_id  INT NOT NULL REFERENCES product_size (product_size_id),
    product_color_id INT NOT NULL REFERENCES product_color (product_color_id)
);
INSERT INTO product_color (product_color_id, product_color_name)
    VALUES (1, 'Blue'), (2, 'Black')
    ON CONFLICT DO NOTHING;
INSERT INTO product_size (product_size_id, product_size_name)
    VALUES (1, 'Small'), (2, 'Medium'), (3, 'Large')
    ON CONFLICT DO NOTHING;
