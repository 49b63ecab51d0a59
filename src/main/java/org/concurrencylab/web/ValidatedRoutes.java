package org.concurrencylab.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Failure;

import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Mounts every operation of the {@link ApiContract} on the lab's router, each behind a validation step that
 * checks the request (path parameters, JSON body) against the document. A request the document does not
 * allow is answered 400 {@code {error, message}} with the validator's reason, before any handler runs.
 *
 * <p>The routes are added to the lab's own router rather than mounted as a sub-router, so that
 * {@code /health}, the web UI and the other services' routes keep working beside them.
 */
final class ValidatedRoutes {

  /** A handler given the request as validated by the contract. */
  interface Operation extends BiConsumer<RoutingContext, ValidatedRequest> {
  }

  private ValidatedRoutes() {
  }

  /**
   * Adds one route per operation of the document; {@code operations} maps each operationId to its handler,
   * {@code beforeValidation} adds handlers (a body reader, say) to a route before its validation.
   *
   * @throws IllegalStateException when the document and {@code operations} disagree
   */
  static void mount(Router router, Vertx vertx, Map<String, Operation> operations,
                    BiConsumer<String, Route> beforeValidation) {
    JsonObject document = ApiContract.get().json();
    Future<OpenAPIContract> contract = OpenAPIContract.from(vertx, document);
    Future<RequestValidator> validator = contract.map(loaded -> RequestValidator.create(vertx, loaded));
    JsonObject paths = document.getJsonObject("paths");
    int mounted = 0;
    for (String path : paths.fieldNames()) {
      JsonObject methods = paths.getJsonObject(path);
      for (String method : methods.fieldNames()) {
        String operationId = methods.getJsonObject(method).getString("operationId");
        Operation operation = operations.get(operationId);
        if (operation == null) {
          throw new IllegalStateException("no handler for operation " + operationId + " of " + ApiContract.RESOURCE);
        }
        Route route = router.route(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), vertxPath(path));
        beforeValidation.accept(operationId, route);
        route.handler(validating(contract, validator, operationId, operation));
        mounted++;
      }
    }
    if (mounted != operations.size()) {
      throw new IllegalStateException(ApiContract.RESOURCE + " has " + mounted + " operations, the API "
        + operations.size() + ": " + operations.keySet());
    }
  }

  /** {@code /products/{id}} -> {@code /products/:id} */
  static String vertxPath(String openApiPath) {
    return openApiPath.replaceAll("\\{([^}]+)}", ":$1");
  }

  private static Handler<RoutingContext> validating(Future<OpenAPIContract> contract, Future<RequestValidator> validator,
                                                    String operationId, Operation operation) {
    return ctx -> {
      Buffer body = ctx.body().buffer();
      contract
        .compose(loaded -> RequestUtils.extract(ctx.request(), loaded.operation(operationId),
          () -> Future.succeededFuture(body == null ? Buffer.buffer() : body)))
        .compose(request -> validator.compose(v -> v.validate(request, operationId)))
        .onComplete(validated -> operation.accept(ctx, validated), failure -> {
          if (failure instanceof ValidatorException invalid) {
            HttpResponses.error(ctx, Failure.BAD_REQUEST, invalid.getMessage());
          } else {
            HttpResponses.error(ctx, failure);
          }
        });
    };
  }
}
