package org.concurrencylab.bff;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the services' replies, trusting nothing: every element is checked, and anything else than the book's
 * shape is a {@link BadReplyException}, so that garbage from a service becomes a null (or a 502), never a
 * crash or a half-read page.
 */
final class ShopReplies {

  private ShopReplies() {
  }

  /** {@code [{product_id, ...}, ...]}: the product ids, in order. */
  static List<Integer> productIds(Object json, String service) {
    if (!(json instanceof JsonArray array)) {
      throw new BadReplyException(service + " did not answer a JSON array");
    }
    List<Integer> ids = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item) || !(item.getValue("product_id") instanceof Integer id)) {
        throw new BadReplyException(service + " answered an item without an integer product_id at index " + i);
      }
      ids.add(id);
    }
    return ids;
  }

  /** {@code {"inventory": n}}. */
  static int inventory(Object json) {
    if (json instanceof JsonObject reply && reply.getValue("inventory") instanceof Integer count) {
      return count;
    }
    throw new BadReplyException("inventory did not answer {\"inventory\": n}");
  }

  /** An HTTP body parsed as JSON (an array or an object). */
  static Object parse(Buffer body, String service) {
    try {
      Object json = body.toJsonValue();
      if (json instanceof JsonArray || json instanceof JsonObject) {
        return json;
      }
    } catch (DecodeException e) {
      throw new BadReplyException(service + " answered something that is not JSON");
    }
    throw new BadReplyException(service + " answered JSON that is neither an array nor an object");
  }
}
