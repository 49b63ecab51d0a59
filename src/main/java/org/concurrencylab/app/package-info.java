/**
 * The launcher: configuration, the catalogue of services, and the main verticle that deploys the
 * services a node is told to run. The one package that knows every service.
 */
package org.concurrencylab.app;
