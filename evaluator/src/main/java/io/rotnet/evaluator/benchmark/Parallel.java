package io.rotnet.evaluator.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs the iterations of an index loop on a few threads that take indices as they free up. */
public final class Parallel {
  private Parallel() {}

  /**
   * Calls {@code body} for every index in [0, count) on up to {@code threads} threads; returns
   * when all are done. The first failure is rethrown (unchecked) after the others stop.
   */
  public static void forEach(int count, int threads, IntConsumer body) {
    int workers = Math.max(1, Math.min(threads, count));
    if (workers == 1) {
      for (int i = 0; i < count; i++) {
        body.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers, runnable -> {
      Thread thread = new Thread(runnable, "rotnet-eval-worker");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        futures.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            if (Thread.currentThread().isInterrupted()) {
              return;
            }
            body.accept(i);
          }
        }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          next.set(count);
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          if (cause instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException(cause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while evaluating");
    } finally {
      pool.shutdownNow();
    }
  }

  private static final Semaphore SHARED_BUDGET = new Semaphore(defaultThreads(), true);

  /**
   * Like {@link #forEach}, but every call of {@code body} also holds one permit of a process-wide
   * budget of {@link #defaultThreads()} permits, so that benchmarks sharing a process (the
   * {@code svm} and {@code lowshot-svm} services of {@code rotnet local}) share the cores instead
   * of each starting a full set of busy threads. {@code body} must not itself call this method.
   */
  public static void forEachShared(int count, int threads, IntConsumer body) {
    forEach(count, threads, i -> {
      try {
        SHARED_BUDGET.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting for a worker permit");
      }
      try {
        body.accept(i);
      } finally {
        SHARED_BUDGET.release();
      }
    });
  }

  /** Default worker count: every core the JVM may use. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }
}
