package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A fresh directory on tmpfs ({@code /dev/shm}), short enough for Unix socket paths (107 bytes),
 * removed on close. The sidecar refuses non-tmpfs destinations by default, as in production.
 */
public final class TmpfsDir implements AutoCloseable {
  private final Path dir;

  public TmpfsDir() {
    try {
      Path shm = Path.of("/dev/shm");
      if (!Files.isDirectory(shm) || !"tmpfs".equals(Files.getFileStore(shm).type())) {
        throw new IllegalStateException("tests need a tmpfs at /dev/shm");
      }
      dir = Files.createTempDirectory(shm, "bi-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  @Override
  public void close() {
    deleteTree(dir);
  }

  /** Best effort: a leftover temp dir is harmless. */
  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.deleteIfExists(f);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // see above
    }
  }
}
