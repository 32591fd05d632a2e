package io.rotnet.app.options;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes option defaults from the file named by {@code --config}, so any option of a service
 * command can live in a properties file ({@code bootstrap-servers=kafka:9092},
 * {@code epochs=5}; dotted keys such as {@code bootstrap.servers} too). Options given on the
 * command line win over the file.
 */
public final class ConfigFileDefaults implements IDefaultValueProvider {

  private final Properties properties = new Properties();

  private ConfigFileDefaults() {}

  /** Defaults from the {@code --config FILE} among these arguments, or none. */
  public static ConfigFileDefaults fromArgs(String... args) {
    ConfigFileDefaults defaults = new ConfigFileDefaults();
    Path path = configPath(List.of(args));
    if (path == null) {
      return defaults;
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("config file not found: " + path);
    }
    try (Reader reader = Files.newBufferedReader(path)) {
      defaults.properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + path, e);
    }
    return defaults;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (argSpec instanceof OptionSpec option) {
      String key = option.longestName().replaceFirst("^-+", "");
      // also the dotted spelling, so the two lines `rotnet devstack` prints work as a config file
      return properties.getProperty(key, properties.getProperty(key.replace('-', '.')));
    }
    return null;
  }

  /** Finds {@code --config FILE} or {@code --config=FILE} in the raw arguments. */
  static Path configPath(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config") && i + 1 < args.size()) {
        return Path.of(args.get(i + 1));
      }
      if (arg.startsWith("--config=")) {
        return Path.of(arg.substring("--config=".length()));
      }
    }
    return null;
  }
}
