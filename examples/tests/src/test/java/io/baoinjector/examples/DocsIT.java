package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.SidecarProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command and option tables in README.md and docs/ against the built programs: the commands
 * {@code bao-injector --help} lists and the options the agent's parser knows (from its own error
 * line for an unknown option), and every command's options from its own {@code --help}. A command
 * or option added without docs fails here.
 */
@Timeout(120)
class DocsIT {
  static final Pattern COMMAND = Pattern.compile("^  ([a-z][a-z-]*)\\s{2,}", Pattern.MULTILINE);
  static final Pattern KNOWN = Pattern.compile("; known: ([a-z, -]+)\n");

  /** A picocli help line: {@code -c, --config=FILE ...} or {@code --debug ...}. */
  static final Pattern OPTION =
      Pattern.compile("^ {2}(?:(-[a-zA-Z]), | {4})(--[a-z][a-z-]*)", Pattern.MULTILINE);

  static final Set<String> COMMON = Set.of("--help", "--version", "--debug");
  static final Set<String> COMMANDS =
      Set.of(
          "run",
          "render",
          "exec",
          "env",
          "check",
          "get",
          "import",
          "rotate",
          "policy",
          "approle-setup",
          "refresh");

  @Test
  void everySidecarCommandIsInTheReadmeAndTheConfigurationPage(@TempDir Path dir) {
    SidecarProcess.Result help = SidecarProcess.runToEnd(dir, Map.of(), "--help");
    assertEquals(0, help.exit(), help.stderr());
    String commandsSection = help.stdout().substring(help.stdout().indexOf("Commands:"));
    Set<String> commands = new LinkedHashSet<>();
    Matcher m = COMMAND.matcher(commandsSection);
    while (m.find()) {
      commands.add(m.group(1));
    }
    assertEquals(COMMANDS, commands);

    Set<String> readme = commandNames(Markdown.firstColumn(Repo.read("README.md"), "### Commands"));
    assertEquals(commands, readme, "README.md's command table");
    Set<String> config =
        commandNames(Markdown.firstColumn(Repo.read("docs/configuration.md"), "## Command line"));
    assertEquals(commands, config, "docs/configuration.md's command table");
  }

  @Test
  void everyAgentOptionIsInTheAgentPageAndTheReadme() throws Exception {
    Path agent = Repo.path("agent/target/bao-injector-agent.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Run.Result r =
        Run.run(Map.of(), List.of(java, "-javaagent:" + agent + "=no-such-option=1", "-version"));
    Matcher m = KNOWN.matcher(r.stderr());
    assertTrue(m.find(), "the agent names its options when given an unknown one:\n" + r.stderr());
    Set<String> known = new LinkedHashSet<>(List.of(m.group(1).split(", ")));
    assertTrue(known.contains("socket") && known.contains("file"), known.toString());

    assertEquals(
        known,
        Markdown.firstColumn(Repo.read("docs/agent.md"), "## Options"),
        "docs/agent.md's options table");
    assertEquals(
        known,
        Markdown.firstColumn(Repo.read("README.md"), "### Agent options"),
        "README.md's agent options table");
  }

  /**
   * Every option each command's {@code --help} lists is in docs/configuration.md's command line
   * section: the common ones in its opening line, the others in the command's own row (by its long
   * or short name), and every long name somewhere in the section.
   */
  @Test
  void everyOptionOfEveryCommandIsOnTheConfigurationPage(@TempDir Path dir) {
    String md = Repo.read("docs/configuration.md");
    int at = md.indexOf("\n## Command line\n");
    assertTrue(at >= 0, "docs/configuration.md has no '## Command line' section");
    int end = md.indexOf("\n## ", at + 1);
    String section = end < 0 ? md.substring(at) : md.substring(at, end);
    String opening = section.substring(0, section.indexOf("\n|"));
    Map<String, String> rows = new LinkedHashMap<>();
    for (String cell : Markdown.firstColumn(md, "## Command line")) {
      rows.put(cell.split(" ")[1], cell);
    }
    assertEquals(COMMANDS, rows.keySet());
    for (Map.Entry<String, String> row : rows.entrySet()) {
      SidecarProcess.Result help = SidecarProcess.runToEnd(dir, Map.of(), row.getKey(), "--help");
      assertEquals(0, help.exit(), help.stderr());
      Matcher m = OPTION.matcher(help.stdout());
      int options = 0;
      while (m.find()) {
        options++;
        String shortName = m.group(1);
        String longName = m.group(2);
        String where = "bao-injector " + row.getKey() + " " + longName;
        assertTrue(section.contains("`" + longName) || section.contains(longName + " "), where);
        if (COMMON.contains(longName)) {
          assertTrue(opening.contains("`" + longName + "`"), where + ": in the opening line");
        } else {
          assertTrue(
              mentions(row.getValue(), longName)
                  || (shortName != null && mentions(row.getValue(), shortName)),
              where + ": in its row '" + row.getValue() + "'");
        }
      }
      assertTrue(options >= COMMON.size(), "no options parsed from:\n" + help.stdout());
    }
  }

  static boolean mentions(String cell, String option) {
    return Pattern.compile("(^|[\\[ |])" + Pattern.quote(option) + "($|[ \\]=])")
        .matcher(cell)
        .find();
  }

  /** {@code bao-injector run [-c FILE]} -> {@code run}. */
  static Set<String> commandNames(Set<String> cells) {
    List<String> names = new ArrayList<>();
    for (String cell : cells) {
      String[] words = cell.split(" ");
      assertTrue(words.length > 1 && words[0].equals("bao-injector"), cell);
      names.add(words[1]);
    }
    return new LinkedHashSet<>(names);
  }
}
