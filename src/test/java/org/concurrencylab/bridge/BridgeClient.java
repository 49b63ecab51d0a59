package org.concurrencylab.bridge;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking client of the TCP bridge's framing (4-byte big-endian length + UTF-8 JSON), written from the
 * protocol rather than with Vert.x: what any other language's client does.
 */
final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  BridgeClient(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000); // a frame that never comes fails the test instead of hanging it
      in = new DataInputStream(socket.getInputStream());
      out = new DataOutputStream(socket.getOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(JsonObject frame) {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    try {
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonObject read() {
    try {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code body} to {@code address} with a reply address, then returns the next frame (reply or err). */
  JsonObject request(String address, JsonObject body) {
    write(new JsonObject().put("type", "send").put("address", address).put("body", body)
      .put("replyAddress", "test.reply." + System.nanoTime()).put("headers", new JsonObject().put("timeout", 5000)));
    return read();
  }

  /** A ping, and the frames that come before its pong (the bridge answers a connection's frames in order). */
  java.util.List<JsonObject> fence() {
    write(new JsonObject().put("type", "ping"));
    java.util.List<JsonObject> before = new java.util.ArrayList<>();
    for (JsonObject frame = read(); !"pong".equals(frame.getString("type")); frame = read()) {
      before.add(frame);
    }
    return before;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }
}
