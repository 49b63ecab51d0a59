package org.concurrencylab.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.validation.ValidatedRequest;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The REST API of the book's listings 9.1-9.4 (and the SKU stream of chapter 5). Each handler turns the
 * validated request into one request to the products store on the bus and its reply into JSON; a bus
 * failure keeps its code (404, 422, 503, ...) as the HTTP status.
 */
final class ProductApi {

  /** POST bodies larger than this are refused with 413 before they are read whole. */
  static final long BODY_LIMIT = 16 * 1024;

  static final String BRANDS = "products.brands";
  static final String GET = "products.get";
  static final String CREATE = "products.create";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private final Vertx vertx;
  private final long timeoutMs;

  private ProductApi(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** Adds {@code /openapi.yaml} and every operation of the contract to {@code router}. */
  static void mount(Router router, Vertx vertx, long timeoutMs) {
    ProductApi api = new ProductApi(vertx, timeoutMs);
    SkuStream skus = new SkuStream(vertx, timeoutMs);
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("content-type", "application/yaml")
      .end(ApiContract.get().yaml()));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
    ValidatedRoutes.mount(router, vertx, Map.of(
        "getTime", api::time,
        "listBrands", api::brands,
        "getProduct", api::product,
        "createProduct", api::create,
        "streamSkus", (ctx, request) -> skus.handle(ctx)),
      (operationId, route) -> {
        if (operationId.equals("createProduct")) {
          route.handler(body);
        }
      });
  }

  private void time(RoutingContext ctx, ValidatedRequest request) {
    LocalDateTime now = LocalDateTime.now();
    HttpResponses.json(ctx, 200, new JsonObject().put("month", now.getMonthValue()).put("day", now.getDayOfMonth())
      .put("time", now.format(TIME)));
  }

  private void brands(RoutingContext ctx, ValidatedRequest request) {
    HttpResponses.reply(ctx, Bus.<JsonObject>request(vertx, BRANDS, new JsonObject(), timeoutMs)
      .map(reply -> reply.getJsonArray("brands")));
  }

  private void product(RoutingContext ctx, ValidatedRequest request) {
    int id = request.getPathParameters().get("id").getInteger();
    HttpResponses.reply(ctx, Bus.request(vertx, GET, new JsonObject().put("product_id", id), timeoutMs));
  }

  private void create(RoutingContext ctx, ValidatedRequest request) {
    JsonObject body = request.getBody().getJsonObject();
    HttpResponses.reply(ctx, Bus.request(vertx, CREATE, new JsonObject()
      .put("product_name", body.getString("product_name"))
      .put("brand_id", body.getInteger("brand_id")), timeoutMs), 201);
  }
}
