package org.concurrencylab.mapreduce.job;

import io.vertx.core.Vertx;
import org.concurrencylab.mapreduce.count.NgramTable;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job's counts on its node take each partition once, whoever answers for it: a local worker or a partial
 * the job merges itself; after close, nothing more enters.
 */
class JobCountsTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static NgramTable partition(String key, long count) {
    NgramTable table = new NgramTable(4);
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    table.add(bytes, 0, bytes.length, NgramTable.hash(bytes, 0, bytes.length), count);
    return table;
  }

  @Test
  void eachPartitionEntersOnceWhoeverAnswersForIt() throws InterruptedException {
    JobCounts counts = JobCounts.open(vertx, "job-1", 4, 16);
    assertThat(JobCounts.find(vertx, "job-1")).isSameAs(counts);
    assertThat(JobCounts.find(vertx, "other")).isNull();

    assertThat(counts.add("w#0", 0, partition("a", 1))).isEqualTo(JobCounts.Outcome.ADDED);
    assertThat(counts.add("w#1", 0, partition("a", 1))).isEqualTo(JobCounts.Outcome.TAKEN); // sent again
    assertThat(counts.claim(0)).isFalse(); // a late partial of it is dropped
    assertThat(counts.claim(1)).isTrue(); // a partial from another node: the job merges it
    assertThat(counts.add("w#0", 1, partition("b", 2))).isEqualTo(JobCounts.Outcome.TAKEN);
    assertThat(counts.add("w#1", 2, partition("a", 5))).isEqualTo(JobCounts.Outcome.ADDED);
    assertThat(counts.add("w#1", 9, partition("a", 5))).isEqualTo(JobCounts.Outcome.REFUSED); // no such partition

    List<NgramTable> tables = counts.close(1_000);
    assertThat(tables).hasSize(2);
    assertThat(tables.stream().mapToLong(t -> Math.max(0, t.get("a"))).sum()).isEqualTo(6);
    assertThat(tables.stream().mapToLong(t -> Math.max(0, t.get("b"))).sum()).isZero();
    assertThat(counts.add("w#0", 3, partition("c", 1))).isEqualTo(JobCounts.Outcome.REFUSED);
    assertThat(JobCounts.find(vertx, "job-1")).isNull();
    JobCounts.forget(vertx, "job-1");
  }

  @Test
  void aPartitionWhoseAddFailedMakesCloseFailInsteadOfGivingWrongTotals() {
    JobCounts counts = JobCounts.open(vertx, "job-2", 2, 16);
    assertThatThrownBy(() -> counts.add("w#0", 0, null)).isInstanceOf(NullPointerException.class);
    assertThat(counts.claim(0)).isFalse(); // nobody else may add it either
    assertThatThrownBy(() -> counts.close(1_000)).isInstanceOf(IllegalStateException.class)
      .hasMessageContaining("partition 0");
    JobCounts.forget(vertx, "job-2");
  }
}
