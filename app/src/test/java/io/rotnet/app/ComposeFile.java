package io.rotnet.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml read as {@code docker compose} reads it for one profile: YAML with anchors
 * and merge keys, every string interpolated ({@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?message}}, {@code $$}) from the given environment over
 * the {@code .env} file, and only the services of the active profiles (those without
 * {@code profiles} always run).
 */
final class ComposeFile {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private final Path file;
  private final Map<String, Object> raw;
  private final Map<String, String> environment;

  private ComposeFile(Path file, Map<String, Object> raw, Map<String, String> environment) {
    this.file = file;
    this.raw = raw;
    this.environment = environment;
  }

  /** Reads the file with {@code .env} beside it, overridden by {@code environment}. */
  static ComposeFile read(Path file, Map<String, String> environment) throws IOException {
    Map<String, String> env = new HashMap<>(dotEnv(file.resolveSibling(".env")));
    env.putAll(environment);
    LoaderOptions options = new LoaderOptions();
    Map<String, Object> raw =
        new Yaml(new SafeConstructor(options)).load(Files.readString(file));
    return new ComposeFile(file, raw, Map.copyOf(env));
  }

  private static Map<String, String> dotEnv(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        values.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
      }
    }
    return values;
  }

  Path directory() {
    return file.toAbsolutePath().getParent();
  }

  /** The profiles {@code COMPOSE_PROFILES} activates. */
  Set<String> activeProfiles() {
    Set<String> profiles = new TreeSet<>();
    for (String profile : environment.getOrDefault("COMPOSE_PROFILES", "").split(",")) {
      if (!profile.isBlank()) {
        profiles.add(profile.trim());
      }
    }
    return profiles;
  }

  /** Every service of the active profiles, interpolated, in file order. */
  @SuppressWarnings("unchecked")
  Map<String, Service> services() {
    Map<String, Object> all = (Map<String, Object>) raw.get("services");
    Map<String, Service> active = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : all.entrySet()) {
      Map<String, Object> definition = (Map<String, Object>) interpolate(entry.getValue());
      List<String> profiles = (List<String>) definition.get("profiles");
      if (profiles == null || profiles.stream().anyMatch(activeProfiles()::contains)) {
        active.put(entry.getKey(), new Service(entry.getKey(), definition));
      }
    }
    return active;
  }

  /** Every variable the file reads, whether or not it has a default. */
  Set<String> variables() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher matcher = VARIABLE.matcher(Files.readString(file));
    while (matcher.find()) {
      if (matcher.group(1) != null) {
        names.add(matcher.group(1));
      } else if (matcher.group(4) != null) {
        names.add(matcher.group(4));
      }
    }
    return names;
  }

  private Object interpolate(Object value) {
    if (value instanceof String text) {
      return interpolate(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, interpolate(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(interpolate(v)));
      return out;
    }
    return value;
  }

  String interpolate(String text) {
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String replacement;
      if (matcher.group().equals("$$")) {
        replacement = "$";
      } else if (matcher.group(4) != null) {
        replacement = environment.getOrDefault(matcher.group(4), "");
      } else {
        String name = matcher.group(1);
        String operator = matcher.group(2);
        String argument = matcher.group(3);
        String set = environment.get(name);
        boolean unsetOrEmpty = set == null || set.isEmpty();
        if (operator == null) {
          replacement = set == null ? "" : set;
        } else if (operator.equals(":-")) {
          replacement = unsetOrEmpty ? argument : set;
        } else if (operator.equals("-")) {
          replacement = set == null ? argument : set;
        } else if (unsetOrEmpty && operator.equals(":?") || set == null && operator.equals("?")) {
          throw new IllegalArgumentException("required variable " + name + ": " + argument);
        } else {
          replacement = set;
        }
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** One interpolated service definition. */
  record Service(String name, Map<String, Object> definition) {

    String string(String key) {
      Object value = definition.get(key);
      return value == null ? null : value.toString();
    }

    /** The image our Dockerfile builds: a build of the compose file's own directory. */
    boolean isRotnet() {
      Object build = definition.get("build");
      if (build instanceof Map<?, ?> map) {
        return ".".equals(map.get("context"));
      }
      return ".".equals(build);
    }

    /** The command split as compose splits a string (shell words, quotes kept together). */
    @SuppressWarnings("unchecked")
    List<String> command() {
      Object command = definition.get("command");
      if (command == null) {
        return List.of();
      }
      if (command instanceof List<?> list) {
        return (List<String>) list;
      }
      return words(command.toString());
    }

    @SuppressWarnings("unchecked")
    Map<String, String> environment() {
      Object env = definition.get("environment");
      Map<String, String> out = new LinkedHashMap<>();
      if (env instanceof Map<?, ?> map) {
        map.forEach((k, v) -> out.put(k.toString(), v == null ? "" : v.toString()));
      } else if (env instanceof List<?> list) {
        for (Object item : list) {
          String[] kv = item.toString().split("=", 2);
          out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
      }
      return out;
    }

    /** Volumes as container path to source: a host path (absolute) or a named volume. */
    @SuppressWarnings("unchecked")
    List<String[]> volumes() {
      List<String[]> out = new ArrayList<>();
      Object volumes = definition.get("volumes");
      if (volumes instanceof List<?> list) {
        for (Object item : list) {
          String[] parts = item.toString().split(":");
          out.add(new String[] {parts[0], parts[1]});
        }
      }
      return out;
    }

    List<String> profiles() {
      @SuppressWarnings("unchecked")
      List<String> profiles = (List<String>) definition.get("profiles");
      return profiles == null ? List.of() : profiles;
    }
  }

  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote in: " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
