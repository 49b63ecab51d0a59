package org.concurrencylab.trace;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;

/**
 * Scopes of work, as Vert.x contexts: Vert.x starts one per HTTP request and per bus message (a duplicated
 * context); a server that reads a connection, whose callbacks all share one context, starts its own for each
 * connection or line. A new scope copies the current one's locals, as Python's {@code copy_context()} copies
 * context variables for a new task, then differs from it only where it is told to.
 *
 * <p>Vert.x keeps duplicating a context internal ({@link ContextInternal}); this class is the one place the
 * lab uses it.
 */
public final class Scopes {

  private Scopes() {
  }

  /** A new scope: a duplicate of the current context, with a copy of its locals. Call on a Vert.x thread. */
  public static Context fork() {
    ContextInternal current = ContextInternal.current();
    if (current == null) {
      throw new IllegalStateException("a scope can only be forked on a Vert.x thread");
    }
    return current.duplicate(true);
  }

  /** Runs {@code handler} with {@code event} now, on this thread, inside {@code scope}. Call on the scope's thread. */
  public static <T> void run(Context scope, T event, Handler<T> handler) {
    ((ContextInternal) scope).dispatch(event, handler);
  }
}
