package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.MessageFormatter;

class UnresolvedWarningsTest {
  private final List<String> said = new ArrayList<>();
  private final UnresolvedWarnings warnings =
      new UnresolvedWarnings(
          (key, format, args) -> said.add(MessageFormatter.arrayFormat(format, args).getMessage()));

  @Test
  void aFilesKeyNamesAreNotListedTheyMayBeItsContent() {
    // a token file "q8Zk…rw==" reads as one assignment named after the token (FileBackendTest)
    String token = "q8Zk3mD0XcVv9Y2aQ1pLrw";
    SecretData d =
        new SecretData(
            Map.of(token, SecretValue.of("=")), null, true, Set.of(), null, SecretValue.of("x"));
    warnings.warn("TOKEN", Reference.parse("file:/run/secrets/token#TOKEN", n -> null), d);
    assertEquals(1, said.size());
    assertFalse(said.get(0).contains(token), said.get(0));
    assertEquals(
        "TOKEN: file:/run/secrets/token has no key \"TOKEN\" (1 keys; a file with CRLF line ends"
            + " or a line that is not NAME=value is served whole only)",
        said.get(0));
  }

  @Test
  void anotherStoresKeyNamesStillAre() {
    SecretData d =
        new SecretData(Map.of("user", SecretValue.of("u")), null, true, Set.of(), null, null);
    warnings.warn("PW", Reference.parse("aws:prod/db#password", n -> Reference.Store.AWS), d);
    assertEquals(List.of("PW: aws:prod/db has no key \"password\" (its keys: user)"), said);
  }
}
