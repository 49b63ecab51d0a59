package org.concurrencylab.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
  void onlyTheBytesBetweenPositionAndLimitAreRead() {
    ByteBuffer buffer = ByteBuffer.wrap("boom\nxxxx".getBytes(StandardCharsets.US_ASCII));
    buffer.position(5);
    assertThatCode(() -> new BoomLine().scan(buffer)).doesNotThrowAnyException();
  }

  private static void scanInPieces(String stream, int pieceSize) {
    byte[] bytes = stream.getBytes(StandardCharsets.US_ASCII);
    BoomLine line = new BoomLine();
    for (int from = 0; from < bytes.length; from += pieceSize) {
      // Each piece sits at an offset in a larger buffer, as a read chunk does.
      ByteBuffer chunk = ByteBuffer.allocate(bytes.length + 16);
      chunk.position(3);
      chunk.put(bytes, from, Math.min(pieceSize, bytes.length - from));
      chunk.limit(chunk.position()).position(3);
      line.scan(chunk);
    }
  }
}
