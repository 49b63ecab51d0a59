/**
 * What a service package offers the lab: its verticles, its HTTP routes, its demos and its commands.
 * {@code app/} lists every {@link org.concurrencylab.spi.ServiceModule} and deploys those a node is told
 * to run; a service package implements one module and never imports another service's package.
 */
package org.concurrencylab.spi;
