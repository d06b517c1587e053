package io.baoinjector.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
  @TempDir Path dir;

  /** "DB_USER='u'\nDB_PASSWORD='canary-é'\n" with the second byte of 'é' replaced by 0xff. */
  private static byte[] brokenSecondLine() {
    byte[] b = "DB_USER='u'\nDB_PASSWORD='canary-é'\n".getBytes(StandardCharsets.UTF_8);
    b["DB_USER='u'\nDB_PASSWORD='canary-".length() + 1] = (byte) 0xff;
    return b;
  }

  @Test
  void invalidUtf8InTheDotenvFileIsAnErrorNamingTheLineNotAReplacementCharacter() throws Exception {
    Path env = Files.write(dir.resolve("app.env"), brokenSecondLine());
    IOException e = assertThrows(IOException.class, () -> new FileSource(env, null).next(null));
    assertEquals("dotenv line 2: invalid UTF-8", e.getMessage());
  }

  @Test
  void invalidUtf8InThePropertiesFileNamesTheFileAndLine() throws Exception {
    Path env = Files.write(dir.resolve("app.env"), "A='1'\n".getBytes(StandardCharsets.UTF_8));
    byte[] props = "a=1\nb=canary-\u00e9\n".getBytes(StandardCharsets.UTF_8);
    props[props.length - 2] = (byte) 0x28; // 'é' is c3 a9; c3 28 is malformed
    Path file = Files.write(dir.resolve("app.properties"), props);
    IOException e = assertThrows(IOException.class, () -> new FileSource(env, file).next(null));
    assertEquals(file + " line 2: invalid UTF-8", e.getMessage());
  }

  @Test
  void wellFormedFilesStillDecode() throws Exception {
    Path env =
        Files.write(dir.resolve("app.env"), "A='canary-é😀'\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("canary-é😀", new FileSource(env, null).next(null).values.get("A"));
  }
}
