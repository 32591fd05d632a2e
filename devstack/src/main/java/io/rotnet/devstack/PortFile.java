package io.rotnet.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Remembers the ports a stack chose in its data directory, so a restart on the same directory
 * comes back at the same addresses whenever those ports are still free.
 */
final class PortFile {

  private static final String FILE = "ports.properties";
  private static final String LOOPBACK = "127.0.0.1";

  private PortFile() {}

  /** The port remembered under {@code name} if it is free now, else a new free one (saved). */
  static synchronized int reuseOrChoose(Path dataDir, String name) {
    Path file = dataDir.resolve(FILE);
    Properties ports = new Properties();
    try {
      if (Files.exists(file)) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          ports.load(reader);
        }
      }
      String previous = ports.getProperty(name);
      if (previous != null && isFree(Integer.parseInt(previous))) {
        return Integer.parseInt(previous);
      }
      int port = freePort();
      ports.setProperty(name, String.valueOf(port));
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        ports.store(writer, "ports of the rotnet dev stack on this data directory");
      }
      return port;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
