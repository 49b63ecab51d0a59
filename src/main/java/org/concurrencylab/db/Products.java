package org.concurrencylab.db;

/**
 * The product store's bus addresses; {@code docs/bus.md} describes each request and reply. Other services
 * (the REST API, the backend-for-frontend) use these names as strings: they never import this package.
 */
public final class Products {

  /** {@code {}} -> {@code {brands: [{brand_id, brand_name}]}} */
  public static final String BRANDS = "products.brands";
  /** {@code {brand_names: [..], on_error?: "rollback" | "skip"}} -> {@code {brand_ids, skipped}} */
  public static final String CREATE_BRANDS = "products.brands.create";
  /** {@code {product_id}} -> {@code {product_id, product_name, brand_id}}; 404 when missing */
  public static final String GET = "products.get";
  /** {@code {}} -> {@code {products: [{product_id, product_name, brand_id}]}} */
  public static final String LIST = "products.list";
  /** {@code {product_name, brand_id}} -> {@code {product_id}}; 422 when the brand does not exist */
  public static final String CREATE = "products.create";
  /** {@code {product_id}} -> {@code {skus: [...]}}: the book's 5.7 join for one product */
  public static final String SKUS = "products.skus";
  /** {@code {batch?}} -> {@code {cursor}}: opens a read of every SKU, pulled batch by batch from {@code cursor} */
  public static final String STREAM_SKUS = "products.skus.stream";

  /** The longest product or brand name the store accepts, in characters. */
  public static final int NAME_MAX = 200;

  private Products() {
  }
}
