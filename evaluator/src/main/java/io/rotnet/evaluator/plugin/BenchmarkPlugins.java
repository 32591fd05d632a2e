package io.rotnet.evaluator.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/** The benchmark plug-ins on the class path, found with {@link ServiceLoader}. */
public final class BenchmarkPlugins {

  private BenchmarkPlugins() {}

  /** Every plug-in, in class-path order. */
  public static List<BenchmarkPlugin> all() {
    List<BenchmarkPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(BenchmarkPlugin.class, BenchmarkPlugins.class.getClassLoader()).forEach(plugins::add);
    return plugins;
  }

  /** The plug-in of that name (case-insensitive), if any. */
  public static Optional<BenchmarkPlugin> find(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return all().stream().filter(p -> p.name().equals(wanted)).findFirst();
  }

  /** The names of every plug-in, for help and error messages. */
  public static List<String> names() {
    return all().stream().map(BenchmarkPlugin::name).toList();
  }
}
