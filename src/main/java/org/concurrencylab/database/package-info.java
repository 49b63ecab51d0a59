/**
 * PostgreSQL for the services that keep data: the embedded server started when no {@code LAB_DB_URL} is
 * given, pools built from a URL, and versioned migrations each service applies to its own tables. A
 * library: services import it; it imports nothing else of the lab's.
 */
package org.concurrencylab.database;
