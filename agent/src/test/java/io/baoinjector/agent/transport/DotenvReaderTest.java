package io.baoinjector.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DotenvReaderTest {
  @Test
  void readsShellQuotedValuesExactly() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("A", "plain");
    expected.put("B_2", "it's");
    expected.put("C", "multi\nline $HOME `x` \\ \"q\" é");
    expected.put("_EMPTY", "");
    expected.put("BARE", "");
    String text =
        "# rendered by bao-injector\n\nA='plain'\nB_2='it'\\''s'\n"
            + "C='multi\nline $HOME `x` \\ \"q\" é'\n_EMPTY=''\nBARE=\n";
    assertEquals(expected, DotenvReader.parse(text));
    assertEquals(Map.of("X", "'"), DotenvReader.parse("X=''\\'''"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "A=canary-unquoted|dotenv line 1: value must be single-quoted",
        "A='ok'\\nB='canary-open|dotenv line 2: unterminated quote",
        "A='x'\\n\\n1A='canary'|dotenv line 3: expected NAME='value'",
        "export A='canary'|dotenv line 1: expected NAME='value'",
        "A='canary' # c|dotenv line 1: value must be single-quoted",
        "A='a'\\nA='canary'|dotenv line 2: variable A appears twice",
      })
  void rejectsAnythingElseNamingTheLineNotTheValue(String text, String message) {
    IOException e =
        assertThrows(IOException.class, () -> DotenvReader.parse(text.replace("\\n", "\n")));
    assertEquals(message, e.getMessage());
    assertFalse(e.getMessage().contains("canary"));
  }
}
