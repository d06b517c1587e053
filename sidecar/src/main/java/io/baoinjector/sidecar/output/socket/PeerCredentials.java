package io.baoinjector.sidecar.output.socket;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Who is on the other end of a Unix-socket connection, from {@code SO_PEERCRED}.
 *
 * <p>The JDK exposes {@code SO_PEERCRED} only as a {@link UnixDomainPrincipal}: user and group
 * <em>names</em> (the kernel's uid and gid looked up in the user database, or the number itself
 * when there is no entry). The pid that the kernel also records is not exposed by the JDK, so audit
 * lines say {@code pid=unavailable} rather than guess. Names map back to uids through {@code
 * /etc/passwd} <em>before</em> a string of digits is read as a number: a user may be named {@code
 * 4242}, and the JDK then hands us "4242" for a uid that is not 4242. An allowed uid that makes
 * this ambiguous is refused at start ({@link #resolveAllowed}).
 */
record PeerCredentials(String user, int uid, String group) {
  static final Path PASSWD = Paths.get("/etc/passwd");
  static final PeerCredentials UNKNOWN = new PeerCredentials("unknown", -1, "unknown");

  /** The peer of a Jetty endpoint backed by a JDK Unix-domain {@link SocketChannel}. */
  static PeerCredentials of(EndPoint endPoint) {
    if (endPoint instanceof SocketChannelEndPoint sc) {
      return of(sc.getChannel());
    }
    return UNKNOWN;
  }

  /** The peer of an accepted Unix-domain channel; {@link #UNKNOWN} for any other channel. */
  static PeerCredentials of(SelectableChannel channel) {
    if (channel instanceof SocketChannel ch) {
      try {
        UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = p.user().getName();
        return new PeerCredentials(user, uidOf(user), p.group().getName());
      } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
        return UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  /**
   * The uid of a user name or numeric string, -1 when neither a known user nor a number. The user
   * database is asked first: an all-digit name is a name before it is a number.
   */
  static int uidOf(String userOrUid) {
    Integer known = Passwd.read().uids.get(userOrUid);
    if (known != null) {
      return known;
    }
    if (!userOrUid.isEmpty() && userOrUid.chars().allMatch(Character::isDigit)) {
      try {
        return Integer.parseInt(userOrUid);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** The user name of {@code uid} in the user database, or null. */
  static String nameOf(int uid) {
    return Passwd.read().names.get(uid);
  }

  /**
   * The uids of {@code allow-uids}, names looked up before digits are read as numbers. Refuses a
   * uid whose user name is all digits and another number: the JDK hands us the peer's user name, so
   * that user and the uid its name spells would look alike.
   */
  static java.util.Set<Integer> resolveAllowed(List<String> names) throws IOException {
    java.util.Set<Integer> out = new java.util.LinkedHashSet<>();
    if (names == null) {
      return out;
    }
    for (String n : names) {
      int uid = uidOf(n.trim());
      if (uid < 0) {
        throw new IOException(
            ("outputs.socket.allow-uids: no user '%s' in %s; use a numeric uid or an existing user"
                    + " name")
                .formatted(n, PASSWD));
      }
      String name = nameOf(uid);
      if (name != null
          && !name.isEmpty()
          && name.chars().allMatch(Character::isDigit)
          && !name.equals(Integer.toString(uid))) {
        throw new IOException(
            ("outputs.socket.allow-uids: '%s' is uid %s, whose user name '%s' is all digits, so the"
                    + " peer check cannot tell it from uid %s; rename that user or remove it from"
                    + " allow-uids")
                .formatted(n, uid, name, name));
      }
      out.add(uid);
    }
    return out;
  }

  /**
   * {@code /etc/passwd} by name and by uid, re-read only when the file changes: a flood of
   * connections each looking up its peer must not each read the file.
   */
  private record Passwd(Object stamp, Map<String, Integer> uids, Map<Integer, String> names) {
    private static volatile Passwd cached = new Passwd(null, Map.of(), Map.of());

    static Passwd read() {
      Object stamp;
      try {
        BasicFileAttributes a = Files.readAttributes(PASSWD, BasicFileAttributes.class);
        stamp = List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
      } catch (IOException e) {
        return new Passwd(null, Map.of(), Map.of());
      }
      Passwd c = cached;
      if (stamp.equals(c.stamp)) {
        return c;
      }
      Map<String, Integer> uids = new HashMap<>();
      Map<Integer, String> names = new HashMap<>();
      try {
        for (String line : Files.readAllLines(PASSWD)) {
          String[] f = line.split(":", -1);
          if (f.length > 2 && !f[0].isEmpty()) {
            try {
              int uid = Integer.parseInt(f[2]);
              uids.putIfAbsent(f[0], uid);
              names.putIfAbsent(uid, f[0]);
            } catch (NumberFormatException e) {
              // a broken line names nobody
            }
          }
        }
      } catch (IOException e) {
        return new Passwd(null, Map.of(), Map.of());
      }
      c = new Passwd(stamp, Map.copyOf(uids), Map.copyOf(names));
      cached = c;
      return c;
    }
  }
}
