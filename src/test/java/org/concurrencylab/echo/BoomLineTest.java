package org.concurrencylab.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault trigger of listing 3.10: the line {@code boom}, however TCP cuts the stream. */
class BoomLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"boom\n", "boom\r\n", "hello\nboom\n", "x\r\nboom\r\nrest", "\n\nboom\n",
    "a long line that goes on and on past several words\nboom\n"})
  void aBoomLineTriggers(String stream) {
    assertThatThrownBy(() -> scanInPieces(stream, stream.length())).isInstanceOf(BoomLine.Boom.class)
      .hasMessageContaining("Unexpected network error");
  }

  @ParameterizedTest
  @ValueSource(strings = {"boom", "boomer\n", "xboom\n", "boom \n", " boom\n", "boo\nm\n", "boom\r\r\n", "bo om\n",
    "BOOM\n", "boom\rx\n"})
  void anythingElseIsData(String stream) {
    assertThatCode(() -> scanInPieces(stream, stream.length())).doesNotThrowAnyException();
  }

  @Test
  void theLineIsFoundWhereverTheChunksSplitIt() {
    String stream = "0123456789abcdef\r\nboom\r\n";
    for (int piece = 1; piece <= stream.length(); piece++) {
      int size = piece;
      assertThatThrownBy(() -> scanInPieces(stream, size)).isInstanceOf(BoomLine.Boom.class);
    }
  }

  @Test
  void theLineIsFoundAfterALongLineWhateverItsLength() {
    // Long lines are skipped 64 bytes (direct memory) or 32 bytes (other buffers) at a time, then 8: the newline
    // before "boom" may sit in any byte of such a block, and in the bytes after the last whole block.
    for (int length = 0; length < 160; length++) {
      String longLine = "x".repeat(length);
      assertThatThrownBy(() -> scanInPieces(longLine + "\nboom\n", 1000)).isInstanceOf(BoomLine.Boom.class);
      assertThatCode(() -> scanInPieces(longLine + "\nboomx\n" + "y".repeat(40), 1000)).doesNotThrowAnyException();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\t", "\u0000", "\r", "\u0080", "\u008b", "\u00ff"})
  void theLineIsFoundAfterBytesThatAreNotPlainText(String odd) {
    // Direct memory is first skipped with a test that also stops at control bytes and high bytes: such a block
    // is searched exactly, and the rest of the chunk too. The odd byte sits at every offset of a long line,
    // before and after the block that holds the newline.
    for (int at = 0; at < 200; at++) {
      String longLine = "x".repeat(at) + odd + "y".repeat(200 - at);
      String shortLine = "z".repeat(at);
      assertThatThrownBy(() -> scanInPieces(longLine + "\nboom\n", 1000)).isInstanceOf(BoomLine.Boom.class);
      assertThatThrownBy(() -> scanInPieces(shortLine + "\nboom\r\n" + longLine, 1000))
        .isInstanceOf(BoomLine.Boom.class);
      assertThatCode(() -> scanInPieces(longLine + "\nboomx\n" + longLine + odd + "boom\n", 1000))
        .doesNotThrowAnyException();
    }
  }

  @Test
  void onlyTheBytesBetweenPositionAndLimitAreRead() {
    ByteBuffer buffer = ByteBuffer.wrap("boom\nxxxx".getBytes(StandardCharsets.US_ASCII));
    buffer.position(5);
    assertThatCode(() -> new BoomLine().scan(buffer)).doesNotThrowAnyException();
  }

  @Test
  void aByteBufIsReadFromItsReaderToItsWriterIndex() {
    ByteBuf buffer = Unpooled.directBuffer(16).writeBytes("boom\nxxxx".getBytes(StandardCharsets.US_ASCII));
    try {
      buffer.readerIndex(5);
      assertThatCode(() -> new BoomLine().scan(buffer)).doesNotThrowAnyException();
      buffer.readerIndex(0);
      assertThatThrownBy(() -> new BoomLine().scan(buffer)).isInstanceOf(BoomLine.Boom.class);
    } finally {
      buffer.release();
    }
  }

  /**
   * Scans the stream cut in pieces of {@code pieceSize} bytes, each in a heap buffer, a direct buffer and a
   * Netty buffer (the three read paths), and insists they agree: returns when none found the line, throws
   * {@link BoomLine.Boom} when all did.
   */
  private static void scanInPieces(String stream, int pieceSize) {
    byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1); // one byte a char, 0x80-0xff too
    List<Boolean> found = new ArrayList<>();
    for (int kind = 0; kind < 3; kind++) {
      BoomLine line = new BoomLine();
      try {
        for (int from = 0; from < bytes.length; from += pieceSize) {
          scanPiece(line, kind, bytes, from, Math.min(pieceSize, bytes.length - from));
        }
        found.add(false);
      } catch (BoomLine.Boom boom) {
        found.add(true);
      }
    }
    assertThat(found).as("heap, direct and Netty buffers agree").containsOnly(found.get(0));
    if (found.get(0)) {
      new BoomLine().scan(ByteBuffer.wrap(bytes)); // throws the Boom for the caller
    }
  }

  /** Each piece sits at an offset in a larger buffer, as a read chunk does. */
  private static void scanPiece(BoomLine line, int kind, byte[] bytes, int from, int length) {
    if (kind == 2) {
      ByteBuf chunk = Unpooled.directBuffer(length + 16).writerIndex(3).writeBytes(bytes, from, length).readerIndex(3);
      try {
        line.scan(chunk);
      } finally {
        chunk.release();
      }
      return;
    }
    ByteBuffer chunk = kind == 0 ? ByteBuffer.allocate(length + 16) : ByteBuffer.allocateDirect(length + 16);
    chunk.position(3);
    chunk.put(bytes, from, length);
    chunk.limit(chunk.position()).position(3);
    line.scan(chunk);
  }
}
