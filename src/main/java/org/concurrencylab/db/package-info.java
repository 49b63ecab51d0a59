/**
 * Chapter 5 of the book: the product database on PostgreSQL. {@link org.concurrencylab.db.ProductStore} owns
 * the connection pool and answers the {@code products.*} bus addresses (no other code of the lab runs SQL);
 * {@link org.concurrencylab.db.ProductSeeder} fills the book's five tables deterministically; the demos replay
 * the book's concurrent queries (5.7-5.8), transactions (5.9-5.12) and cursors (5.14-5.17).
 */
package org.concurrencylab.db;
