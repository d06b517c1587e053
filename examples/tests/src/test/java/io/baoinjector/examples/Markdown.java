package io.baoinjector.examples;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough Markdown for the docs tests: fenced blocks, links, table rows. */
final class Markdown {
  private Markdown() {}

  /** A fenced code block, with the {@code <!-- from: FILE -->} tag on the line before, if any. */
  record Block(int line, String info, String from, String content) {}

  static final Pattern FROM = Pattern.compile("^<!-- from: (\\S+) -->$");
  static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  static List<Block> blocks(String md) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = md.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("```")) {
        continue;
      }
      String info = lines[i].substring(3).trim();
      Matcher tag = i > 0 ? FROM.matcher(lines[i - 1].trim()) : null;
      String from = tag != null && tag.matches() ? tag.group(1) : null;
      StringBuilder content = new StringBuilder();
      int start = i + 1;
      for (i = start; i < lines.length && !lines[i].startsWith("```"); i++) {
        content.append(lines[i]).append('\n');
      }
      if (i == lines.length) {
        throw new AssertionError("unclosed code block at line " + start);
      }
      blocks.add(new Block(start, info, from, content.toString()));
    }
    return blocks;
  }

  /** Link targets, without {@code #anchor}. */
  static Set<String> links(String md) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = LINK.matcher(md);
    while (m.find()) {
      String target = m.group(1);
      int hash = target.indexOf('#');
      out.add(hash >= 0 ? target.substring(0, hash) : target);
    }
    return out;
  }

  /**
   * The first cells of the body rows of the first table in the section starting at {@code heading},
   * without backticks: e.g. the option names of an options table.
   */
  static Set<String> firstColumn(String md, String heading) {
    int at = md.indexOf("\n" + heading + "\n");
    if (at < 0) {
      throw new AssertionError("no section '" + heading + "'");
    }
    Set<String> cells = new LinkedHashSet<>();
    boolean inTable = false;
    int row = 0;
    for (String line : md.substring(at + heading.length() + 2).split("\n")) {
      if (line.startsWith("#")) {
        break;
      }
      if (line.startsWith("|")) {
        inTable = true;
        String cell = line.substring(1, line.indexOf('|', 1)).trim();
        if (row++ > 1) { // after the header and the |---| line
          cells.add(cell.replace("`", ""));
        }
      } else if (inTable) {
        break;
      }
    }
    return cells;
  }
}
