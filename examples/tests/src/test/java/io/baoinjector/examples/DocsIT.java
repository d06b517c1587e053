package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.SidecarProcess;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * line for an unknown option). A command or option added without docs fails here.
 */
@Timeout(120)
class DocsIT {
  static final Pattern COMMAND = Pattern.compile("^  ([a-z]+)\\s{2,}", Pattern.MULTILINE);
  static final Pattern KNOWN = Pattern.compile("; known: ([a-z, -]+)\n");

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
    assertEquals(
        Set.of("run", "render", "exec", "env", "check", "get", "import", "rotate"), commands);

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
