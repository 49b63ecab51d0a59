/**
 * The book's tasks (chapter 2) as Vert.x futures that can be cancelled. A Vert.x {@code Future} is only a
 * result: nothing stops the work behind it. {@link org.concurrencylab.basics.task.CancellableTask} adds what
 * an asyncio {@code Task} has: {@code cancel()} that really stops the work (its timer, its in-flight request,
 * its loop), {@code wait_for} (a timeout that cancels) and {@code shield} (a caller may give up, the work
 * goes on). {@link org.concurrencylab.basics.task.Tasks} makes the book's tasks: a delay, CPU work on a worker
 * thread, an HTTP GET.
 */
package org.concurrencylab.basics.task;
