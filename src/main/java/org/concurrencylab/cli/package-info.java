/**
 * The jar's commands besides starting the lab: {@code demo}, and the helpers the commands of every service
 * share (progress bars, tables). Commands drive services through their public entry points or the bus.
 */
package org.concurrencylab.cli;
