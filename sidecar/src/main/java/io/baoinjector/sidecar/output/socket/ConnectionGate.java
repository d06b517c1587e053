package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.metrics.Metrics;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Admits or closes each connection of one connector as it is accepted, before a byte of HTTP is
 * read. On the Unix socket a peer whose uid is not in {@code allow-uids} is closed at once, so a
 * denied uid holds no connection and counts against nobody; an allowed uid may hold at most {@code
 * maxPerUid} connections, so one busy or hostile allowed uid cannot take all {@code maxTotal}.
 *
 * <p>Over a limit the connection is closed rather than accepting switched off: switching it off
 * left the kernel's queue to fill with the flood, and with Jetty's selector-driven accept
 * (acceptors=0) switching it back on could close the listening channel (jetty#15668).
 */
final class ConnectionGate implements SelectorManager.AcceptListener, Connection.Listener {
  /** The uid key of connections whose peer is not looked up (the TCP listener). */
  static final int ANY = -2;

  private final String connector;
  private final int maxTotal;
  private final int maxPerUid;
  private final Set<Integer> allowed;
  private final boolean unix;
  private final Metrics metrics;
  private final AuditThrottle throttle;
  private final Map<SelectableChannel, Integer> admitted = new HashMap<>();
  private final Map<Integer, Integer> perUid = new HashMap<>();

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

  @Override
  public void onAccepting(SelectableChannel channel) {
    PeerCredentials peer = unix ? PeerCredentials.of(channel) : null;
    if (peer != null && !allowed.isEmpty() && !allowed.contains(peer.uid())) {
      refuse(channel, peer, "denied", "peer uid is not allowed");
      return;
    }
    int uid = peer == null ? ANY : peer.uid();
    String full = admit(channel, uid);
    if (full != null) {
      refuse(channel, peer, "refused", full);
    }
  }

  /** Counts {@code channel} in, or says which limit is full. */
  private synchronized String admit(SelectableChannel channel, int uid) {
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
    try {
      channel.close();
    } catch (IOException e) {
      // closing is all we wanted; the peer sees end of stream either way
    }
    metrics.socketRequest("connect", "denied".equals(what) ? 403 : 503);
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
