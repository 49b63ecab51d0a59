package org.concurrencylab.chat.client;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "chat")
public final class ChatClientCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
