package io.baoinjector.sidecar.openbao;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenBaoExceptionTest {

  @Test
  void openBaosMultiErrorTextBecomesOneLine() {
    assertEquals(
        "permission denied",
        OpenBaoException.oneLine("1 error occurred:\n\t* permission denied\n\n"));
    assertEquals("a; b", OpenBaoException.oneLine("2 errors occurred:\n\t* a\n\t* b\n\n"));
    assertEquals("plain message", OpenBaoException.oneLine("plain   message"));
    OpenBaoException e =
        new OpenBaoException(
            "GET",
            "secret/data/x",
            403,
            List.of("1 error occurred:\n\t* permission denied\n\n"),
            null,
            null);
    assertEquals("GET secret/data/x: status 403: permission denied", e.getMessage());
  }
}
