package org.concurrencylab.bff.shop;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inventory service: {@code {"inventory": n}} for any product id, after a delay, both drawn from the
 * node's seeded {@link InventoryDice}. The {@code delay_ms} knob replaces the drawn delay, as the peer's does.
 */
final class InventoryVerticle extends ShopServiceVerticle {

  private final InventoryDice dice;

  InventoryVerticle(InventoryDice dice, Faults faults, ShopStats stats, int port, AtomicInteger actualPort) {
    super(ShopService.INVENTORY, faults, stats, port, actualPort);
    this.dice = dice;
  }

  @Override
  protected Future<JsonObject> answer(Call call) {
    InventoryDice.Roll roll = dice.next();
    long delay = call.delayGiven() ? call.delayMs() : roll.delayMs();
    JsonObject reply = new JsonObject().put("inventory", roll.inventory());
    return delay == 0 ? Future.succeededFuture(reply) : vertx.timer(delay).map(reply);
  }

  @Override
  protected Object httpBody(JsonObject reply) {
    return reply;
  }
}
