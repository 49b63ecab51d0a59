package org.concurrencylab.mapreduce.count;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A partial crosses the bus as a Buffer or as JSON and merges into the same totals either way. */
class PartialCountsTest {

  private static NgramTable partial() {
    NgramTable table = new NgramTable(4);
    for (String key : new String[] {"and", "après", "Aardvark", "x".repeat(300)}) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      table.add(bytes, 0, bytes.length, NgramTable.hash(bytes, 0, bytes.length), 100_000L * key.length());
    }
    return table;
  }

  private static PartialCounts.Summary summary() {
    SkippedLines skipped = new SkippedLines();
    skipped.add(3, LineProblem.BAD_COUNT);
    skipped.add(9, LineProblem.TOO_MANY_FIELDS);
    return new PartialCounts.Summary(7, "node-a#1", 60_000, skipped, 1234, 56789, 4);
  }

  @Test
  void bufferAndJsonMergeIntoTheSameTotalsAndSummary() {
    NgramTable fromBuffer = new NgramTable(4);
    NgramTable fromJson = new NgramTable(4);
    add(fromBuffer, "and", 1);
    add(fromJson, "and", 1);
    Buffer buffer = PartialCounts.toBuffer(summary(), partial(), new ByteSink(8));
    JsonObject json = PartialCounts.toJson(summary(), partial());

    PartialCounts.Summary a = PartialCounts.mergeInto(buffer, fromBuffer);
    PartialCounts.Summary b = PartialCounts.mergeInto(new JsonObject(json.encode()), fromJson);

    for (NgramTable table : new NgramTable[] {fromBuffer, fromJson}) {
      assertThat(table.get("and")).isEqualTo(300_001);
      assertThat(table.get("après")).isEqualTo(500_000);
      assertThat(table.get("x".repeat(300))).isEqualTo(30_000_000);
      assertThat(table.size()).isEqualTo(4);
    }
    for (PartialCounts.Summary s : new PartialCounts.Summary[] {a, b}) {
      assertThat(s.partition()).isEqualTo(7);
      assertThat(s.worker()).isEqualTo("node-a#1");
      assertThat(s.lines()).isEqualTo(60_000);
      assertThat(s.readNanos()).isEqualTo(1234);
      assertThat(s.countNanos()).isEqualTo(56789);
      assertThat(s.skipped().count()).isEqualTo(2);
      assertThat(s.skipped().first()).containsExactly(new SkippedLines.Line(3, LineProblem.BAD_COUNT),
        new SkippedLines.Line(9, LineProblem.TOO_MANY_FIELDS));
    }
    assertThat(buffer.length()).as("compact: keys and varints").isLessThan(json.encode().length());
  }

  @Test
  void aSummaryAloneCarriesNoCountsAndAPartialReadForItsSummaryAddsNone() {
    Buffer summaryOnly = PartialCounts.summaryOnly(summary(), new ByteSink(8));
    NgramTable table = new NgramTable(4);
    PartialCounts.Summary fromSummary = PartialCounts.mergeInto(summaryOnly, table);
    assertThat(table.size()).isZero();
    assertThat(fromSummary.partition()).isEqualTo(7);
    assertThat(fromSummary.lines()).isEqualTo(60_000);
    assertThat(fromSummary.skipped().count()).isEqualTo(2);

    // A partial whose partition a local worker counted already: summary read, counts checked, none added.
    Buffer full = PartialCounts.toBuffer(summary(), partial(), new ByteSink(8));
    PartialCounts.Summary fromFull = PartialCounts.mergeInto(full, null);
    assertThat(fromFull.distinct()).isEqualTo(4);
    assertThat(fromFull.worker()).isEqualTo("node-a#1");
    assertThat(PartialCounts.mergeInto(PartialCounts.toJson(summary(), partial()), null).lines()).isEqualTo(60_000);
  }

  @Test
  void aDamagedBufferIsRefusedWithAMessage() {
    Buffer buffer = PartialCounts.toBuffer(summary(), partial(), new ByteSink(8));
    Buffer truncated = buffer.getBuffer(0, buffer.length() - 10);
    assertThatThrownBy(() -> PartialCounts.mergeInto(truncated, new NgramTable(4)))
      .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends too early");
    assertThatThrownBy(() -> PartialCounts.mergeInto(Buffer.buffer("nonsense"), new NgramTable(4)))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PartialCounts.mergeInto("a string", new NgramTable(4)))
      .isInstanceOf(IllegalArgumentException.class);
  }

  private static void add(NgramTable table, String key, long count) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    table.add(bytes, 0, bytes.length, NgramTable.hash(bytes, 0, bytes.length), count);
  }
}
