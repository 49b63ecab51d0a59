/**
 * The lab's HTTP conventions, shared by every service's routes: JSON error bodies {@code {error, message}},
 * bus failure codes mapped straight to HTTP statuses, JSON replies. A library: imports only {@code bus/}.
 */
package org.concurrencylab.api;
