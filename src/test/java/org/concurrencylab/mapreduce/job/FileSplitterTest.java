package org.concurrencylab.mapreduce.job;

import io.vertx.core.eventbus.ReplyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Partitions are whole lines, cover the file exactly, and hold about the asked number of lines. */
class FileSplitterTest {

  @TempDir
  Path dir;

  @Test
  void partitionsCoverTheFileInWholeLinesOfAboutTheAskedSize() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50_000; i++) {
      text.append("ngram").append(i % 977).append("\t1900\t").append(i).append("\t1\n");
    }
    Path file = dir.resolve("lines.tsv");
    Files.writeString(file, text);
    byte[] bytes = Files.readAllBytes(file);

    FileSplitter.Plan plan = FileSplitter.split(file, 1_000);

    List<Partition> partitions = plan.partitions();
    assertThat(partitions.get(0).start()).isZero();
    assertThat(partitions.get(partitions.size() - 1).end()).isEqualTo(bytes.length);
    for (int i = 0; i < partitions.size(); i++) {
      Partition partition = partitions.get(i);
      assertThat(partition.index()).isEqualTo(i);
      assertThat(bytes[(int) partition.end() - 1]).as("ends after a newline").isEqualTo((byte) '\n');
      if (i > 0) {
        assertThat(partition.start()).isEqualTo(partitions.get(i - 1).end());
      }
      long lines = text.substring((int) partition.start(), (int) partition.end()).chars().filter(c -> c == '\n').count();
      if (i < partitions.size() - 1) {
        assertThat(lines).as("partition " + i).isBetween(900L, 1_100L);
      }
    }
    assertThat(partitions).hasSizeBetween(45, 55);
    assertThat(plan.bytesPerLine()).isCloseTo((double) bytes.length / 50_000, org.assertj.core.data.Percentage.withPercentage(10));
  }

  @Test
  void aFileWithoutAFinalNewlineEndsItsLastPartitionAtTheEnd() throws IOException {
    Path file = dir.resolve("short.tsv");
    Files.writeString(file, "a\t1\t2\t3\nb\t1\t2\t3");
    FileSplitter.Plan plan = FileSplitter.split(file, 60_000);
    assertThat(plan.partitions()).containsExactly(new Partition(0, 0, Files.size(file)));
  }

  @Test
  void anEmptyFileAndAGiantLineAreRefusedAsUnprocessable() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.tsv"));
    assertThatThrownBy(() -> FileSplitter.split(empty, 60_000)).isInstanceOf(ReplyException.class)
      .hasMessageContaining("is empty").extracting(e -> ((ReplyException) e).failureCode()).isEqualTo(422);

    Path giant = dir.resolve("giant.bin");
    Files.write(giant, new byte[3 * FileSplitter.MAX_LINE_BYTES]);
    assertThatThrownBy(() -> FileSplitter.split(giant, 1)).isInstanceOf(ReplyException.class)
      .hasMessageContaining("line longer than").extracting(e -> ((ReplyException) e).failureCode()).isEqualTo(422);
  }
}
