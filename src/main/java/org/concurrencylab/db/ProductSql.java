package org.concurrencylab.db;

/**
 * Every SQL statement of the product store, in one place. Values are always bound ({@code $1}); no
 * statement is ever built from input.
 */
final class ProductSql {

  /** The migration set: {@code db/products/V1.sql}, ... */
  static final String MIGRATIONS = "products";

  static final String BRANDS = "SELECT brand_id, brand_name FROM brand ORDER BY brand_id";

  static final String PRODUCT = "SELECT product_id, product_name, brand_id FROM product WHERE product_id = $1";

  static final String PRODUCTS = "SELECT product_id, product_name, brand_id FROM product ORDER BY product_id";

  static final String CREATE_PRODUCT =
    "INSERT INTO product (product_name, brand_id) VALUES ($1, $2) RETURNING product_id";

  static final String CREATE_BRAND = "INSERT INTO brand (brand_name) VALUES ($1) RETURNING brand_id";

  /** The book's listing 5.7: a product with its SKUs, colours and sizes (about 100 rows per product). */
  static final String PRODUCT_SKUS = """
    SELECT p.product_id, p.product_name, p.brand_id, s.sku_id,
           pc.product_color_name, ps.product_size_name
    FROM product AS p
    JOIN sku AS s ON s.product_id = p.product_id
    JOIN product_color AS pc ON pc.product_color_id = s.product_color_id
    JOIN product_size AS ps ON ps.product_size_id = s.product_size_id
    WHERE p.product_id = $1""";

  /**
   * Listing 5.7 asking the server for its first row only, as asyncpg's {@code fetchrow} does with a row limit
   * on Execute. The plan is the same (EXPLAIN: product by key, then a scan of sku that stops at the first
   * match); a Vert.x cursor read of one row gives the same answer but measured 4-7x slower per query here.
   */
  static final String PRODUCT_FIRST_SKU = PRODUCT_SKUS + "\nLIMIT 1";

  /** Every SKU, in id order: what {@code GET /skus/stream} sends, read through a cursor. */
  static final String ALL_SKUS =
    "SELECT sku_id, product_id, product_size_id, product_color_id FROM sku ORDER BY sku_id";

  static final String IS_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM brand)";

  static final String COUNTS = """
    SELECT (SELECT count(*) FROM brand), (SELECT count(*) FROM product), (SELECT count(*) FROM sku)""";

  /** Seeding replaces the data: sizes and colours stay, ids start again at 1. */
  static final String TRUNCATE = "TRUNCATE sku, product, brand RESTART IDENTITY";

  /** Seeding with one statement per table: PostgreSQL unpacks bound arrays row by row, in order. */
  static final String SEED_BRANDS = "INSERT INTO brand (brand_name) SELECT * FROM unnest($1::text[])";
  static final String SEED_PRODUCTS =
    "INSERT INTO product (product_name, brand_id) SELECT * FROM unnest($1::text[], $2::int[])";
  static final String SEED_SKUS = "INSERT INTO sku (product_id, product_size_id, product_color_id) "
    + "SELECT * FROM unnest($1::int[], $2::int[], $3::int[])";

  /**
   * Bulk loading as PostgreSQL's manual advises: checking 3 foreign keys row by row costs 5-10x the insert
   * itself, so the SKU constraints are dropped for the load and added back (validated in one pass) in the
   * same transaction, under the names the migration gave them.
   */
  static final String DROP_SKU_KEYS = "ALTER TABLE sku DROP CONSTRAINT sku_product_id_fkey, "
    + "DROP CONSTRAINT sku_product_size_id_fkey, DROP CONSTRAINT sku_product_color_id_fkey";
  static final String ADD_SKU_KEYS = """
    ALTER TABLE sku
      ADD CONSTRAINT sku_product_id_fkey FOREIGN KEY (product_id) REFERENCES product (product_id),
      ADD CONSTRAINT sku_product_size_id_fkey FOREIGN KEY (product_size_id) REFERENCES product_size (product_size_id),
      ADD CONSTRAINT sku_product_color_id_fkey FOREIGN KEY (product_color_id) REFERENCES product_color (product_color_id)""";

  /** The same rows one statement each, sent as one pipelined batch: the book's {@code executemany}. */
  static final String INSERT_SKU =
    "INSERT INTO sku (product_id, product_size_id, product_color_id) VALUES ($1, $2, $3)";
  static final String INSERT_PRODUCT = "INSERT INTO product (product_name, brand_id) VALUES ($1, $2)";
  static final String INSERT_BRAND = "INSERT INTO brand (brand_name) VALUES ($1)";

  /** The book's 5.9 inserts brands with explicit ids to provoke a duplicate key. */
  static final String CREATE_BRAND_WITH_ID = "INSERT INTO brand (brand_id, brand_name) VALUES ($1, $2)";
  static final String BRAND_NAMES_BY_ID = "SELECT brand_id, brand_name FROM brand WHERE brand_id = ANY($1) ORDER BY brand_id";
  static final String DELETE_BRANDS = "DELETE FROM brand WHERE brand_id = ANY($1)";

  static final String ANALYZE = "ANALYZE brand, product, product_color, product_size, sku";

  /** Serialises seeding between nodes that start on one empty database ("seed" in ASCII). */
  static final String SEED_LOCK = "SELECT pg_advisory_xact_lock(1936024932)";

  private ProductSql() {
  }
}
