package io.baoinjector.agent.transport;

import io.baoinjector.shared.Dotenv;
import io.baoinjector.shared.wire.EnvDocument;
import io.baoinjector.shared.wire.Utf8;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The files the sidecar renders: a {@code dotenv} file and optionally a {@code properties} file.
 *
 * <p>Polls their attributes (modification time, size and file key — the inode, which changes with
 * every atomic rename the sidecar does) every {@link #POLL_MILLIS} ms rather than using a {@code
 * WatchService}: polling works the same on every JVM and file system (including the symlink swaps
 * Kubernetes does for mounted secrets), and a {@code stat} four times a second costs nothing.
 */
final class FileSource implements Source {
  static final long POLL_MILLIS = 250;

  private final Path dotenv;
  private final Path properties;
  private List<Object> seen;
  private long revision;

  FileSource(Path dotenv, Path properties) {
    this.dotenv = dotenv;
    this.properties = properties;
  }

  @Override
  public String where() {
    return dotenv.toString();
  }

  @Override
  public EnvDocument next(EnvDocument last) throws IOException, InterruptedException {
    while (true) {
      List<Object> now = stamp();
      if (last == null || !now.equals(seen)) {
        Map<String, String> values;
        try {
          values = Dotenv.decode(Utf8.decodeLines(Files.readAllBytes(dotenv), "dotenv"));
        } catch (IllegalArgumentException e) {
          throw new IOException(e.getMessage()); // names the line only, never a value
        }
        Map<String, String> props =
            properties == null ? Collections.<String, String>emptyMap() : properties();
        List<Object> after = stamp();
        if (after.equals(now)) { // not replaced while we read
          seen = now;
          return new EnvDocument("file", ++revision, values, props);
        }
        continue;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private List<Object> stamp() throws IOException {
    BasicFileAttributes a = Files.readAttributes(dotenv, BasicFileAttributes.class);
    if (properties == null) {
      return Arrays.asList(a.lastModifiedTime(), a.size(), a.fileKey());
    }
    BasicFileAttributes p = Files.readAttributes(properties, BasicFileAttributes.class);
    return Arrays.asList(
        a.lastModifiedTime(), a.size(), a.fileKey(), p.lastModifiedTime(), p.size(), p.fileKey());
  }

  private Map<String, String> properties() throws IOException {
    Properties p = new Properties();
    // decoded here, not by a Reader, so that a malformed byte names its line
    String text = Utf8.decodeLines(Files.readAllBytes(properties), properties.toString());
    try {
      p.load(new StringReader(text));
    } catch (IllegalArgumentException e) {
      throw new IOException(properties + ": malformed \\uXXXX escape");
    }
    Map<String, String> out = new LinkedHashMap<String, String>();
    for (String name : p.stringPropertyNames()) {
      out.put(name, p.getProperty(name));
    }
    return out;
  }
}
