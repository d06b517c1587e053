package io.baoinjector.sidecar.output.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real user whose name is all digits and whose uid is another number ({@code useradd}, removed
 * afterwards): names are looked up before digits are read as a uid, and allowing such a user is
 * refused at start, since the JDK hands the peer check only the user's name.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AllDigitUserTest {
  // unlikely to exist on any machine; the uid differs from the number the name spells
  static final String NAME = "4242917";
  static final int UID = 42917;

  @BeforeEach
  void addUser() throws Exception {
    removeUser(); // a run killed before its cleanup
    run("useradd", "-u", Integer.toString(UID), "-M", "-N", "-s", "/usr/sbin/nologin", NAME);
  }

  @AfterEach
  void removeUser() throws Exception {
    if (Files.readString(PeerCredentials.PASSWD).contains("\n" + NAME + ":")) {
      run("userdel", NAME);
    }
  }

  @Test
  void anAllDigitNameIsANameBeforeItIsANumber() {
    assertEquals(UID, PeerCredentials.uidOf(NAME), "the JDK's principal name " + NAME);
    assertEquals(NAME, PeerCredentials.nameOf(UID));
    assertEquals(4242, PeerCredentials.uidOf("4242"), "digits that name nobody are a uid");
    assertEquals(0, PeerCredentials.uidOf("root"));
  }

  @Test
  void allowingThatUserByNameOrUidIsRefusedNamingTheKey() {
    for (String entry : List.of(NAME, Integer.toString(UID))) {
      IOException e =
          assertThrows(IOException.class, () -> PeerCredentials.resolveAllowed(List.of(entry)));
      String m = e.getMessage();
      assertTrue(m.startsWith("outputs.socket.allow-uids: '" + entry + "'"), m);
      assertTrue(m.contains("all digits") && !m.contains("\n"), m);
    }
  }

  @Test
  void otherUsersStillResolve() throws IOException {
    assertEquals(Set.of(0, 65534), PeerCredentials.resolveAllowed(List.of("root", "65534")));
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
  }
}
