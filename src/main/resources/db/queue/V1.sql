-- The order app (the book's 12.3 / 12.7, made durable). An order is written here before POST /order
-- answers 202; a worker claims it with SELECT ... FOR UPDATE SKIP LOCKED and keeps that row lock (its
-- transaction stays open) while it works, then marks it done and commits. A worker that dies takes its
-- transaction with it: the order is simply queued again. "completions" counts commits of "done": the
-- proof that every order is completed exactly once.
CREATE TABLE orders (
  id           BIGSERIAL   PRIMARY KEY,
  power_user   BOOLEAN     NOT NULL DEFAULT false,
  priority     SMALLINT    NOT NULL,              -- 1 power user, 2 normal user (the book's 12.7)
  work_ms      INT         NOT NULL CHECK (work_ms >= 0),
  state        TEXT        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done')),
  completions  INT         NOT NULL DEFAULT 0,
  worker       TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  completed_at TIMESTAMPTZ
);

-- The workers' next order: power users first, then arrival order.
CREATE INDEX orders_queued ON orders (priority, id) WHERE state = 'queued';
