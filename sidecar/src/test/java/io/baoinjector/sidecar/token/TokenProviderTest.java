package io.baoinjector.sidecar.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.baoinjector.sidecar.SecretValue;
import org.junit.jupiter.api.Test;

class TokenProviderTest {
  @Test
  void fixedProviderAlwaysGivesItsTokenAndBlamesThePolicy() {
    SecretValue t = SecretValue.of("s.fixed");
    TokenProvider p = TokenProvider.fixed(t);
    assertSame(t, p.currentToken());
    assertEquals(ForbiddenVerdict.DENIED, p.onForbidden(t));
  }
}
