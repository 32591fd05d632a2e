package io.rotnet.app;

import io.rotnet.devstack.EmbeddedStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts the embedded Kafka broker and schema registry, prints their addresses as two
 * properties lines, and runs until the process is stopped (SIGTERM or Ctrl-C), then shuts both
 * down cleanly.
 */
@Command(
    name = "devstack",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an embedded Kafka broker (KRaft) and a Confluent-compatible schema registry on"
          + " 127.0.0.1 and runs until stopped.",
      "Prints bootstrap.servers=HOST:PORT and schema.registry.url=http://HOST:PORT once both are"
          + " ready."
    })
public final class DevstackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keeps topics, records and schemas here across restarts (default: a temporary"
              + " directory deleted on exit).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedStack stack =
        dataDir == null ? EmbeddedStack.startTemporary() : EmbeddedStack.start(dataDir);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread shutdown =
        new Thread(
            () -> {
              try {
                stack.close();
              } finally {
                stopped.countDown();
              }
            },
            "rotnet-devstack-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);

    PrintWriter out = spec.commandLine().getOut();
    out.println("bootstrap.servers=" + stack.bootstrapServers());
    out.println("schema.registry.url=" + stack.schemaRegistryUrl());
    out.flush();

    try {
      // Only the shutdown hook (SIGTERM, Ctrl-C) releases this.
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      stack.close();
      throw e;
    }
    return 0;
  }
}
