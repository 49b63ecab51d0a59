package org.concurrencylab.process;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.spi.StartupException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the process service may run, decided in one place. Safe by construction:
 * <ul>
 *   <li>no shell: the command is executed directly, so {@code ;}, {@code |} or {@code $(...)} would mean
 *       nothing; they are refused anyway, to say so clearly instead of passing them on as text;</li>
 *   <li>only commands named in {@code process_allow}, each resolved once, at start-up, to an absolute path on
 *       a fixed search path (never the caller's {@code PATH});</li>
 *   <li>arguments are checked: printable, no shell syntax, no absolute paths and no {@code ..}, so files are
 *       named relative to the working directory and cannot climb out of it;</li>
 *   <li>a scrubbed environment ({@code PATH}, {@code HOME}, {@code LANG} and nothing of the lab's), and a
 *       working directory inside the data directory;</li>
 *   <li>a cap on the output kept per process ({@code process_output_max}).</li>
 * </ul>
 */
public final class CommandPolicy {

  /** Where commands are looked up, whatever the lab's own {@code PATH} says. */
  public static final List<Path> SEARCH_PATH = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin"));

  static final int MAX_ARGS = 64;
  static final int MAX_ARG_LENGTH = 1_024;

  private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  /** Characters an argument may use besides letters and digits: nothing a shell would read as syntax. */
  private static final String ARGUMENT_PUNCTUATION = " -_.,:=+@%/^#";

  /** Absolute paths already found to be an allowed program (such as /bin/true for /usr/bin/true), at most. */
  private static final int MAX_ALIASES = 64;

  private final Map<String, Path> allowed;
  /**
   * Asked path to the allowed program it is, so that a repeated request costs no file-system calls on the
   * event loop. Safe to keep: what runs is always the allowed program's own path, never the asked one.
   */
  private final Map<Path, Path> aliases = new ConcurrentHashMap<>();
  private final Path workDir;
  private final long outputMax;

  CommandPolicy(Map<String, Path> allowed, Path workDir, long outputMax) {
    this.allowed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(allowed));
    this.workDir = workDir;
    this.outputMax = outputMax;
  }

  /**
   * The policy of a node: {@code process_allow} resolved on {@link #SEARCH_PATH}, the working directory
   * {@code <data_dir>/processes} (created), {@code process_output_max}.
   *
   * @throws StartupException naming {@code process_allow} when an entry is not a plain command name, or
   *                          {@code data_dir} when the working directory cannot be created
   */
  public static CommandPolicy fromConfig(JsonObject config) {
    return of(config.getString("process_allow", ""), SEARCH_PATH,
      Path.of(config.getString("data_dir", "./data"), "processes"), config.getLong("process_output_max", 1L << 20));
  }

  /** A policy from its parts; {@code allow} is a comma list of command names. */
  public static CommandPolicy of(String allow, List<Path> searchPath, Path workDir, long outputMax) {
    Map<String, Path> resolved = new LinkedHashMap<>();
    for (String entry : allow.split(",")) {
      String name = entry.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!COMMAND_NAME.matcher(name).matches()) {
        throw new StartupException("process_allow", "'" + name + "' is not a plain command name "
          + "(names only, looked up on " + searchPathText(searchPath) + ")");
      }
      Path found = lookUp(name, searchPath);
      if (found != null) {
        resolved.put(name, found);
      }
    }
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new StartupException("data_dir", "cannot create the processes' working directory " + workDir
        + " (" + e.getMessage() + ")");
    }
    return new CommandPolicy(resolved, workDir.toAbsolutePath().normalize(), outputMax);
  }

  private static Path lookUp(String name, List<Path> searchPath) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  /** The allowed command names that were found, in the order of {@code process_allow}. */
  public List<String> allowedCommands() {
    return List.copyOf(allowed.keySet());
  }

  public Path workDir() {
    return workDir;
  }

  /** How many bytes of output (both streams together) a process keeps for its result and late watchers. */
  public long outputMax() {
    return outputMax;
  }

  /**
   * The executable a requested command stands for: an allowed name, or the absolute path that name
   * resolved to (so {@code /bin/true} works when {@code true} is allowed and lives there).
   *
   * @throws io.vertx.core.eventbus.ReplyException 400 for anything else
   */
  public Path executable(String command) {
    if (command == null || command.isBlank()) {
      throw Failure.BAD_REQUEST.exception("command is missing (allowed: " + allowedText() + ")");
    }
    Path direct = allowed.get(command);
    if (direct != null) {
      return direct;
    }
    if (command.length() > MAX_ARG_LENGTH || command.chars().anyMatch(Character::isISOControl)) {
      throw Failure.BAD_REQUEST.exception("command " + printable(command) + " is not a program name");
    }
    if (command.startsWith("/")) {
      Path asked = Path.of(command).normalize();
      Path known = aliases.get(asked);
      if (known != null) {
        return known;
      }
      for (Path path : allowed.values()) {
        if (path.equals(asked) || sameFile(path, asked)) {
          if (aliases.size() < MAX_ALIASES) {
            aliases.put(asked, path);
          }
          return path;
        }
      }
      throw Failure.BAD_REQUEST.exception("command " + printable(command) + " is not an allowed program "
        + "(allowed: " + allowedText() + ")");
    }
    if (command.contains("/")) {
      throw Failure.BAD_REQUEST.exception("command " + printable(command) + " is a relative path; name an "
        + "allowed program (" + allowedText() + ")");
    }
    throw Failure.BAD_REQUEST.exception("command " + printable(command) + " is not allowed (allowed: "
      + allowedText() + "; the setting is process_allow)");
  }

  /**
   * Checks the arguments one by one.
   *
   * @throws io.vertx.core.eventbus.ReplyException 400 naming the first argument at fault and why
   */
  public List<String> arguments(List<String> args) {
    if (args.size() > MAX_ARGS) {
      throw Failure.BAD_REQUEST.exception("too many arguments: " + args.size() + " (at most " + MAX_ARGS + ")");
    }
    List<String> checked = new ArrayList<>(args.size());
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String where = "argument " + (i + 1) + " (" + printable(arg) + ")";
      if (arg.length() > MAX_ARG_LENGTH) {
        throw Failure.BAD_REQUEST.exception("argument " + (i + 1) + " is longer than " + MAX_ARG_LENGTH + " characters");
      }
      for (int j = 0; j < arg.length(); j++) {
        char c = arg.charAt(j);
        if (!Character.isLetterOrDigit(c) && ARGUMENT_PUNCTUATION.indexOf(c) < 0) {
          throw Failure.BAD_REQUEST.exception(where + " contains " + describe(c) + ": no shell runs here, and "
            + "arguments may use only letters, digits and " + ARGUMENT_PUNCTUATION.trim());
        }
      }
      if (arg.startsWith("/") || arg.contains("=/")) {
        throw Failure.BAD_REQUEST.exception(where + " is an absolute path; name files relative to the working directory");
      }
      for (String segment : arg.split("[/=]")) {
        if (segment.equals("..")) {
          throw Failure.BAD_REQUEST.exception(where + " climbs out of the working directory with ..");
        }
      }
      checked.add(arg);
    }
    return checked;
  }

  /** The environment of every child: nothing inherited from the lab. */
  public Map<String, String> environment() {
    return Map.of(
      "PATH", searchPathText(SEARCH_PATH),
      "HOME", workDir.toString(),
      "LANG", "C.UTF-8");
  }

  private String allowedText() {
    return allowed.isEmpty() ? "none" : String.join(", ", allowed.keySet());
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static String searchPathText(List<Path> searchPath) {
    return String.join(":", searchPath.stream().map(Path::toString).toList());
  }

  private static String describe(char c) {
    if (Character.isISOControl(c)) {
      return String.format(Locale.ROOT, "the control character U+%04X", (int) c);
    }
    return "'" + c + "'";
  }

  /** A value quoted for an error message, control characters escaped and long values shortened. */
  static String printable(String value) {
    StringBuilder out = new StringBuilder("'");
    int limit = Math.min(value.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append(value.length() > limit ? "...'" : "'").toString();
  }
}
