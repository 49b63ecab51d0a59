package org.concurrencylab.basics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The book's two CPU-bound workloads compute what the book's listings compute. */
class WorkloadsTest {

  @Test
  void fibNumbersAsTheBookDoesFromZero() {
    assertThat(Fibonacci.fib(1)).isZero();
    assertThat(Fibonacci.fib(2)).isEqualTo(1);
    assertThat(Fibonacci.fib(3)).isEqualTo(1);
    assertThat(Fibonacci.fib(10)).isEqualTo(34);
    assertThat(Fibonacci.fib(30)).isEqualTo(514_229);
    assertThatThrownBy(() -> Fibonacci.fib(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCountingLoopCountsExactlyToN() {
    CountingLoop loop = new CountingLoop(3 * CountingLoop.CHECK_EVERY + 7);
    assertThat(loop.run()).isEqualTo(3 * CountingLoop.CHECK_EVERY + 7);
    assertThat(loop.counted()).isEqualTo(loop.target());
    assertThat(new CountingLoop(0).run()).isZero();
  }

  @Test
  void theCountingLoopStopsAtTheFirstCheckAfterItIsTold() {
    AtomicInteger looks = new AtomicInteger();
    CountingLoop loop = new CountingLoop(1_000_000_000_000L);
    long counted = loop.run(() -> looks.incrementAndGet() == 3);
    assertThat(counted).isEqualTo(3 * CountingLoop.CHECK_EVERY);
    assertThat(loop.counted()).isEqualTo(counted);
  }
}
