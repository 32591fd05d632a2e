package io.rotnet.dense.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reader skipped and why (file and line, or image id, named): a bad image or annotation is
 * counted and left out, never a crash. The first few reasons are kept for the log and the caller.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final int KEPT = 20;

  private final String source;
  private final List<String> first = new ArrayList<>();
  private long count;

  public Problems(String source) {
    this.source = source;
  }

  public synchronized void skip(String reason) {
    count++;
    if (first.size() < KEPT) {
      first.add(reason);
      LOG.warn("{}: skipped {}", source, reason);
    }
  }

  public synchronized long count() {
    return count;
  }

  public synchronized List<String> first() {
    return Collections.unmodifiableList(new ArrayList<>(first));
  }

  @Override
  public synchronized String toString() {
    return count == 0 ? source + ": nothing skipped" : source + ": " + count + " skipped, first: " + first.get(0);
  }
}
