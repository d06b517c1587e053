package io.baoinjector.sidecar.output.socket;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
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
 * lines say {@code pid=unavailable} rather than guess. We map names back to uids through {@code
 * /etc/passwd} so that config can say either {@code 1000} or {@code app}.
 */
record PeerCredentials(String user, int uid, String group) {
  static final Path PASSWD = Paths.get("/etc/passwd");
  static final PeerCredentials UNKNOWN = new PeerCredentials("unknown", -1, "unknown");

  /** The peer of a Jetty endpoint backed by a JDK Unix-domain {@link SocketChannel}. */
  static PeerCredentials of(EndPoint endPoint) {
    if (endPoint instanceof SocketChannelEndPoint sc) {
      SocketChannel ch = sc.getChannel();
      try {
        UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = p.user().getName();
        return new PeerCredentials(user, uidOf(user), p.group().getName());
      } catch (IOException | UnsupportedOperationException e) {
        return UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  /**
   * The uid of a user name or numeric string, -1 when neither a number nor a known user. A name
   * that is all digits is taken as the uid itself (as {@code chown} does).
   */
  static int uidOf(String userOrUid) {
    if (!userOrUid.isEmpty() && userOrUid.chars().allMatch(Character::isDigit)) {
      try {
        return Integer.parseInt(userOrUid);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    try {
      List<String> lines = Files.readAllLines(PASSWD);
      for (String line : lines) {
        String[] f = line.split(":", -1);
        if (f.length > 2 && f[0].equals(userOrUid)) {
          return Integer.parseInt(f[2]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
