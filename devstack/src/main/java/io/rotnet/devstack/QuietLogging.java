package io.rotnet.devstack;

/**
 * Keeps Kafka's own loggers at WARN under slf4j-simple unless the user chose a level for them:
 * an embedded broker logs hundreds of INFO lines at startup that say nothing to a developer.
 */
final class QuietLogging {

  private static final String PREFIX = "org.slf4j.simpleLogger.log.";
  private static final String[] NOISY = {
    "kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper"
  };

  private QuietLogging() {}

  static void apply() {
    for (String logger : NOISY) {
      if (System.getProperty(PREFIX + logger) == null) {
        System.setProperty(PREFIX + logger, "warn");
      }
    }
  }
}
