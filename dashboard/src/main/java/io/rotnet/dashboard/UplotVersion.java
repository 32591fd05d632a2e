package io.rotnet.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of the uPlot WebJar on the classpath, which names its resource folder. */
final class UplotVersion {
  private static final String POM_PROPERTIES = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

  static final String VERSION = read();

  private UplotVersion() {}

  private static String read() {
    try (InputStream in = UplotVersion.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
