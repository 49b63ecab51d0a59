package org.concurrencylab.sync;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.ext.web.client.WebClient;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.sync.scenario.BroadcastRace;
import org.concurrencylab.sync.scenario.Connection;
import org.concurrencylab.sync.scenario.CountingServer;
import org.concurrencylab.sync.scenario.LimitedRequests;
import org.concurrencylab.sync.scenario.LostUpdate;
import org.concurrencylab.sync.scenario.UploadServer;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The book's chapter-11 races, bug then fix. Each fix runs in both scopes: in the cluster scope the two
 * sides of the race use the two nodes' handles of the same primitives. (The data they race on, a map of
 * users or a connection's state, is one Java object the test shares between the nodes; what crosses the
 * nodes is the synchronization.)
 */
class ScenariosTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * One send of the broadcast race; the user leaves half a send after the start. That half is all the room there is
   * for the broadcast to take its lock first (a cluster lock is a few Hazelcast round trips) and for the leave's
   * timer, on another event loop, not to fire later than the broadcast's first send: 200 ms, not 50, on a loaded
   * machine.
   */
  private static final Duration SEND = Duration.ofMillis(400);

  private static AsyncMap<String, Integer> counters(Vertx vertx, String scope) {
    return Await.result(scope.equals("local") ? vertx.sharedData().<String, Integer>getLocalAsyncMap("counters")
      : vertx.sharedData().<String, Integer>getClusterWideMap("counters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void lostUpdatesWithoutALockAndNoneWithIt(Scopes.Pair pair) {
    String name = UUID.randomUUID().toString();
    LostUpdate.Side a = new LostUpdate.Side(pair.vertxA(), counters(pair.vertxA(), pair.scope()), null);
    LostUpdate.Side b = new LostUpdate.Side(pair.vertxB(), counters(pair.vertxB(), pair.scope()), null);
    int unlocked = Await.result(LostUpdate.run(List.of(a, b), name + "-unlocked", 40), WAIT);
    assertThat(unlocked).isLessThan(40);

    LostUpdate.Side lockedA = new LostUpdate.Side(a.vertx(), a.counters(), pair.a().lock(name));
    LostUpdate.Side lockedB = new LostUpdate.Side(b.vertx(), b.counters(), pair.b().lock(name));
    assertThat(Await.result(LostUpdate.run(List.of(lockedA, lockedB), name + "-locked", 40), WAIT)).isEqualTo(40);
  }

  @Test
  void aUserLeavingMidBroadcastBreaksTheUnlockedBroadcast() {
    Vertx vertx = Scopes.local().vertxA();
    BroadcastRace.Result result = Await.result(new BroadcastRace(3, SEND)
      .run(vertx, null, vertx, null, "user-2"));
    assertThat(result.error()).isEqualTo("ConcurrentModificationException");
    assertThat(result.delivered()).containsExactly("user-1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void withALockTheBroadcastReachesEveryoneAndTheUserLeavesAfter(Scopes.Pair pair) {
    String name = UUID.randomUUID().toString();
    BroadcastRace.Result result = Await.result(new BroadcastRace(3, SEND)
      .run(pair.vertxA(), pair.a().lock(name), pair.vertxB(), pair.b().lock(name), "user-2"), WAIT);
    assertThat(result.error()).isNull();
    assertThat(result.delivered()).containsExactly("user-1", "user-2", "user-3");
    assertThat(result.usersAfter()).containsExactly("user-1", "user-3");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void underSemaphoreTenTheServerNeverSeesMoreThanTenRequests(Scopes.Pair pair) {
    CountingServer server = Await.result(CountingServer.start(pair.vertxA(), 5));
    WebClient clientA = LimitedRequests.client(pair.vertxA(), 100);
    WebClient clientB = LimitedRequests.client(pair.vertxB(), 100);
    try {
      int total = pair.scope().equals("local") ? 1000 : 400;
      Await.result(LimitedRequests.fetch(clientA, server.port(), 200, null), WAIT);
      assertThat(server.maxInFlight()).as("without a semaphore").isGreaterThan(10);
      server.reset();

      String name = UUID.randomUUID().toString();
      Future<Integer> fromA = LimitedRequests.fetch(clientA, server.port(), total / 2, pair.a().semaphore(name, 10));
      Future<Integer> fromB = LimitedRequests.fetch(clientB, server.port(), total / 2, pair.b().semaphore(name, 10));
      Await.result(Future.all(fromA, fromB), Duration.ofSeconds(60));

      assertThat(fromA.result() + fromB.result()).isEqualTo(total);
      assertThat(server.served()).isEqualTo(total);
      assertThat(server.maxInFlight()).isBetween(1, 10);
      assertThat(Await.result(pair.a().semaphore(name, 10).available())).isEqualTo(10);
    } finally {
      clientA.close();
      clientB.close();
      Await.result(server.close());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void theUploadServerSetsTheEventOfAClientWhenItsUploadIsComplete(Scopes.Pair pair) throws Exception {
    UploadServer server = new UploadServer(pair.a(), "test-node");
    String deployment = Await.result(pair.vertxA().deployVerticle(server,
      new DeploymentOptions().setConfig(new JsonObject().put("upload_port", 0))));
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      Future<Void> complete = pair.b().event(UploadServer.eventName("127.0.0.1", client.getLocalPort())).await(WAIT);
      OutputStream out = client.getOutputStream();
      for (int i = 0; i < 100; i++) {
        out.write(new byte[1024]);
      }
      out.flush();
      assertThat(complete.isComplete()).as("complete before the client closed its side").isFalse();
      client.shutdownOutput();

      Await.result(complete, WAIT);
      JsonObject status = Await.result(Bus.request(pair.vertxB(), "sync.status", new JsonObject()));
      assertThat(status.getJsonObject("stats").getLong("bytes")).isGreaterThanOrEqualTo(100 * 1024L);
      assertThat(status.getJsonObject("stats").getString("scope")).isEqualTo(pair.scope());
    } finally {
      Await.result(pair.vertxA().undeploy(deployment));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void queriesWaitOnTheConditionUntilTheConnectionIsReady(Scopes.Pair pair) {
    String name = UUID.randomUUID().toString();
    Connection connection = new Connection(pair.vertxA(), pair.a().condition(name, pair.a().lock(name)), Duration.ofMillis(200));
    assertThat(Await.failure(connection.queryWithoutWaiting("select 1"), WAIT)).hasMessageContaining("not ready");

    // The queries go through node B's handles of the same condition and lock; connect() through A's.
    Connection fromB = connection.seenFrom(pair.vertxB(), pair.b().condition(name, pair.b().lock(name)));
    List<Future<String>> queries = List.of(fromB.query("select a", WAIT), fromB.query("select b", WAIT));
    assertThat(queries).noneMatch(Future::isComplete);
    Await.result(connection.connect(), WAIT);
    assertThat(Await.result(Future.all(queries), WAIT).<String>list()).containsExactly("result of select a", "result of select b");
    assertThat(fromB.state()).isEqualTo("ready");
  }
}
