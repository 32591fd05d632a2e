package io.rotnet.app.local;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** One service of the local pipeline on its own thread, with the way to ask it to stop. */
final class ServiceThread {

  private final String name;
  private final Thread thread;
  private final Runnable stop;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private ServiceThread(String name, Callable<?> body, Runnable stop) {
    this.name = name;
    this.stop = stop;
    this.thread = new Thread(() -> {
      try {
        body.call();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "rotnet-local-" + name);
  }

  static ServiceThread start(String name, Callable<?> body, Runnable stop) {
    ServiceThread service = new ServiceThread(name, body, stop);
    service.thread.start();
    return service;
  }

  String name() {
    return name;
  }

  boolean isRunning() {
    return thread.isAlive();
  }

  Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** Asks the service to stop and waits for its thread; true when it ended in time. */
  boolean stopAndJoin(Duration grace) throws InterruptedException {
    stop.run();
    return join(grace);
  }

  boolean join(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }
}
