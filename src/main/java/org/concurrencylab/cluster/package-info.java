/**
 * The cluster itself (issue 10, "the cluster, for real"): no chapter of the book, but what lets every chapter's
 * service run on another machine, measured and shown.
 *
 * <ul>
 *   <li>{@link org.concurrencylab.cluster.PingResponder}: {@code cluster.ping} answers from the node it runs on,
 *       {@code cluster.ping.<node>} from one given node, {@code cluster.sink} counts one-way messages.</li>
 *   <li>{@code GET /cluster/ping}: which node answered, through a request that survives the death of a node
 *       ({@link org.concurrencylab.bus.Bus#requestIdempotent}).</li>
 *   <li>{@code bench cluster} ({@link org.concurrencylab.cluster.ClusterBenchCommand}): joins the cluster and
 *       drives a responder on another node: round trips with 1 or N outstanding, one-way messages.</li>
 * </ul>
 */
package org.concurrencylab.cluster;
