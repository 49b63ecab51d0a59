package org.concurrencylab.chat;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.concurrencylab.chat.client.ChatBenchCommand;
import org.concurrencylab.chat.client.ChatClientCommand;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/** The {@code chat} service (chapter 8): the TCP chat server, its WebSocket, the terminal client and its bench. */
public final class ChatModule implements ServiceModule {

  @Override
  public String name() {
    return "chat";
  }

  @Override
  public String summary() {
    return "ch8 chat server: the book's protocol over TCP and WebSocket, one room across the cluster";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    ChatSettings settings = ChatSettings.from(context.config());
    return context.deploy(() -> new RoomRegistry(settings, context.node()))
      .compose(v -> context.deploy(() -> new BusChat(settings))); // the room on the bus (bridge clients)
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    WebChatRoute.mount(router, context.vertx(), ChatSettings.from(context.config()));
  }

  @Override
  public List<Object> commands() {
    return List.of(new ChatClientCommand());
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new ChatBenchCommand());
  }
}
