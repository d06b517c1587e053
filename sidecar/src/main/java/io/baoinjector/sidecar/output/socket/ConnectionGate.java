package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.util.Closing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Admits or refuses each connection of one connector as it is accepted, before Jetty sees it
 * ({@link GatedConnectors}). On the Unix socket a peer whose uid is not in {@code allow-uids} gets
 * a canned 403 and end of stream, so a denied uid holds no Jetty connection and counts against
 * nobody; an allowed uid may hold at most {@code maxPerUid} connections, so one busy or hostile
 * allowed uid cannot take all {@code maxTotal}.
 *
 * <p>Over a limit the connection gets a canned 503 and is closed, rather than accepting switched
 * off: switching it off left the kernel's queue to fill with the flood, and with Jetty's
 * selector-driven accept (acceptors=0) switching it back on could close the listening channel
 * (jetty#15668).
 */
final class ConnectionGate implements SelectorManager.AcceptListener, Connection.Listener {
  /** The uid key of connections whose peer is not looked up (the TCP listener). */
  static final int ANY = -2;

  static final Duration LINGER = Duration.ofMillis(250);
  static final int MAX_LINGERING = 256;

  private final String connector;
  private final int maxTotal;
  private final int maxPerUid;
  private final Set<Integer> allowed;
  private final boolean unix;
  private final Metrics metrics;
  private final AuditThrottle throttle;
  private final Map<SelectableChannel, Integer> admitted = new HashMap<>();
  private final Map<Integer, Integer> perUid = new HashMap<>();
  private final ArrayDeque<Lingering> lingering = new ArrayDeque<>();

  private record Lingering(SelectableChannel channel, long until) {}

  private static final ByteBuffer DENIED = canned(403, "Forbidden", "peer uid is not allowed");
  private static final ByteBuffer FULL =
      canned(503, "Service Unavailable", "too many connections; try again");

  /** Reused for every refused connection: a flood must not make garbage per connection. */
  private final ByteBuffer drain = ByteBuffer.allocateDirect(4096);

  private static ByteBuffer canned(int status, String reason, String message) {
    byte[] body = JsonBody.error(status, message);
    byte[] head =
        ("HTTP/1.1 %s %s\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
                + "Content-Length: %s\r\nConnection: close\r\n\r\n")
            .formatted(status, reason, body.length)
            .getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocateDirect(head.length + body.length);
    b.put(head).put(body).flip();
    return b.asReadOnlyBuffer();
  }

  /**
   * @param allowed allowed uids on the Unix socket, empty for every uid that can connect
   * @param unix whether peers are looked up ({@code SO_PEERCRED})
   */
  ConnectionGate(
      String connector,
      int maxTotal,
      int maxPerUid,
      Set<Integer> allowed,
      boolean unix,
      Metrics metrics,
      AuditThrottle throttle) {
    this.connector = connector;
    this.maxTotal = maxTotal;
    this.maxPerUid = maxPerUid;
    this.allowed = Set.copyOf(allowed);
    this.unix = unix;
    this.metrics = metrics;
    this.throttle = throttle;
  }

  /**
   * Called as a connection is accepted, before Jetty sees it: true to hand it to Jetty (counted
   * in), false when it was refused (answered here, never Jetty's).
   */
  boolean admit(SelectableChannel channel) {
    PeerCredentials peer = unix ? PeerCredentials.of(channel) : null;
    if (peer != null && !allowed.isEmpty() && !allowed.contains(peer.uid())) {
      refuse(channel, peer, "denied", "peer uid is not allowed");
      return false;
    }
    int uid = peer == null ? ANY : peer.uid();
    String full = count(channel, uid);
    if (full != null) {
      refuse(channel, peer, "refused", full);
      return false;
    }
    return true;
  }

  /** Counts {@code channel} in, or says which limit is full. */
  private synchronized String count(SelectableChannel channel, int uid) {
    int mine = perUid.getOrDefault(uid, 0);
    if (admitted.size() >= maxTotal || (uid != ANY && mine >= maxPerUid)) {
      sweep(); // a connection whose close we never heard of must not hold its slot forever
      mine = perUid.getOrDefault(uid, 0);
    }
    if (admitted.size() >= maxTotal) {
      return "connection limit " + maxTotal + " reached";
    }
    if (uid != ANY && mine >= maxPerUid) {
      return "per-uid connection limit " + maxPerUid + " reached";
    }
    admitted.put(channel, uid);
    perUid.put(uid, mine + 1);
    return null;
  }

  private void sweep() {
    for (Iterator<Map.Entry<SelectableChannel, Integer>> it = admitted.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<SelectableChannel, Integer> e = it.next();
      if (!e.getKey().isOpen()) {
        it.remove();
        perUid.computeIfPresent(e.getValue(), (k, n) -> n <= 1 ? null : n - 1);
      }
    }
  }

  private synchronized void release(SelectableChannel channel) {
    Integer uid = admitted.remove(channel);
    if (uid != null) {
      perUid.computeIfPresent(uid, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private void refuse(SelectableChannel channel, PeerCredentials peer, String what, String why) {
    int status = "denied".equals(what) ? 403 : 503;
    answerAndClose(channel, status);
    metrics.socketRequest("connect", status);
    PeerCredentials p = peer == null ? PeerCredentials.UNKNOWN : peer;
    long suppressed = throttle.admit(what + "|" + p.uid() + "|connect|" + connector);
    if (suppressed >= 0) {
      ApiHandler.AUDIT.warn(
          "{} peer={} uid={} gid={} pid=unavailable endpoint=connect listener={} reason=\"{}\""
              + " suppressed={}",
          what,
          p.user(),
          p.uid(),
          p.group(),
          connector,
          why,
          suppressed);
    }
  }

  /**
   * One canned answer, then end of stream: the client learns why (the agent names allow-uids) and
   * holds nothing in Jetty. Fresh connections have room for 200 bytes, so the non-blocking write
   * does not wait. The channel lingers, half closed, for {@link #LINGER}: a client that writes its
   * request after we answered must not fail on a closed socket, and closing a Unix socket with
   * unread data resets the peer, which could lose the answer. At most {@link #MAX_LINGERING}
   * linger; beyond, the oldest is closed at once.
   */
  private void answerAndClose(SelectableChannel channel, int status) {
    boolean keep = false;
    try {
      if (channel instanceof SocketChannel ch) {
        ch.configureBlocking(false);
        synchronized (drain) { // one selector thread calls this; the lock only keeps it honest
          for (int i = 0; i < 4 && ch.read(drain.clear()) > 0; i++) {
            // what the client sent so far is discarded
          }
        }
        ByteBuffer out = (status == 403 ? DENIED : FULL).duplicate();
        ch.write(out);
        ch.shutdownOutput();
        keep = true;
      }
    } catch (IOException e) {
      // the peer went first; closing is all that is left
    }
    if (keep) {
      linger(channel);
    } else {
      Closing.quietly(channel);
    }
  }

  private void linger(SelectableChannel channel) {
    SelectableChannel evicted = null;
    synchronized (lingering) {
      if (lingering.size() >= MAX_LINGERING) {
        evicted = lingering.poll().channel();
      }
      lingering.add(new Lingering(channel, System.nanoTime() + LINGER.toNanos()));
    }
    Closing.quietly(evicted);
  }

  /** Closes the channels whose linger time is over (run by a timer). */
  void closeLingering() {
    long now = System.nanoTime();
    while (true) {
      Lingering l;
      synchronized (lingering) {
        l = lingering.peek();
        if (l == null || l.until() - now > 0) {
          return;
        }
        lingering.poll();
      }
      Closing.quietly(l.channel());
    }
  }

  /** Closes every lingering channel (stop). */
  void closeAllLingering() {
    synchronized (lingering) {
      lingering.forEach(l -> Closing.quietly(l.channel()));
      lingering.clear();
    }
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    release(channel);
  }

  @Override
  public void onClosed(Connection connection) {
    EndPoint ep = connection.getEndPoint();
    if (ep instanceof SocketChannelEndPoint sc) {
      release(sc.getChannel());
    }
  }

  /** Connections counted in right now (tests). */
  synchronized int open() {
    return admitted.size();
  }
}
