package org.concurrencylab.bff.shop;

import java.util.Locale;

/**
 * The book's four services: their port offset from {@code bff_services_port}, their HTTP path (the book's
 * URL shapes, with Vert.x Web's {@code :id}) and their bus address. Products takes no id; inventory takes a
 * product id; favorites and cart take a user id.
 */
enum ShopService {
  PRODUCTS(0, "/products", null),
  INVENTORY(1, "/products/:id/inventory", "product_id"),
  FAVORITES(2, "/users/:id/favorites", "user_id"),
  CART(3, "/users/:id/cart", "user_id");

  private final int portOffset;
  private final String path;
  private final String idField;

  ShopService(int portOffset, String path, String idField) {
    this.portOffset = portOffset;
    this.path = path;
    this.idField = idField;
  }

  /** {@code products}, {@code inventory}, ...: the name in faults, stats and addresses. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code shop.products}, {@code shop.inventory}, ... */
  String address() {
    return ShopModule.NAME + "." + label();
  }

  int portOffset() {
    return portOffset;
  }

  String path() {
    return path;
  }

  /** The field of a bus request that carries the id, or null for products. */
  String idField() {
    return idField;
  }

  /** The service a label names, or null. */
  static ShopService byLabel(String label) {
    for (ShopService service : values()) {
      if (service.label().equals(label)) {
        return service;
      }
    }
    return null;
  }
}
