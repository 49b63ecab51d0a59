/**
 * The lab's HTTP server ({@code http} service): {@code /health}, the web UI's static files, the SockJS
 * event-bus bridge, and the routes of every service deployed on the same node.
 */
package org.concurrencylab.http;
