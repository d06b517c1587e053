import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A hostile local client for the socket flood tests, run as another uid (setpriv) with the JDK's
 * source launcher. It keeps up to CONNECTIONS connections open to SOCKET for SECONDS, replacing
 * every one the server closes; with "keepalive" each also sends a request every PERIOD ms. Bounded in
 * time and in the number of connections it ever opens. Prints "started" once it has opened
 * CONNECTIONS, and one summary line at the end.
 *
 * <p>Usage: FloodClient SOCKET idle|keepalive CONNECTIONS SECONDS [PERIOD_MS]
 */
public final class FloodClient {
  public static void main(String[] args) throws Exception {
    UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(args[0]);
    boolean keepAlive = args[1].equals("keepalive");
    int max = Integer.parseInt(args[2]);
    long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    long period = args.length > 4 ? Long.parseLong(args[4]) * 1_000_000L : 1_000_000_000L;
    long maxOpens = 200_000;
    byte[] req =
        "GET /v1/secrets/DB_PASSWORD HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    List<SocketChannel> open = new ArrayList<>();
    List<Long> lastSent = new ArrayList<>();
    long opens = 0, closedByServer = 0, connectFailed = 0, requests = 0, answers = 0;
    ByteBuffer buf = ByteBuffer.allocate(4096);
    boolean announced = false;
    while (System.nanoTime() < end && opens < maxOpens) {
      while (open.size() < max && opens < maxOpens && System.nanoTime() < end) {
        try {
          SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.configureBlocking(false);
          opens++;
          if (!ch.connect(addr)) {
            ch.close(); // backlog full: try again next round
            connectFailed++;
            break;
          }
          open.add(ch);
          lastSent.add(0L);
        } catch (IOException e) {
          connectFailed++;
          break;
        }
      }
      if (!announced && opens >= max) {
        System.out.println("started"); // the test reads under the flood from here on
        System.out.flush();
        announced = true;
      }
      long now = System.nanoTime();
      Iterator<SocketChannel> it = open.iterator();
      for (int i = 0; it.hasNext(); ) {
        SocketChannel ch = it.next();
        boolean dead = false;
        try {
          buf.clear();
          int n = ch.read(buf);
          if (n < 0) {
            dead = true;
          } else if (n > 0) {
            answers++;
          }
          if (!dead && keepAlive && now - lastSent.get(i) >= period) {
            ch.write(ByteBuffer.wrap(req));
            requests++;
            lastSent.set(i, now);
          }
        } catch (IOException e) {
          dead = true;
        }
        if (dead) {
          closedByServer++;
          try {
            ch.close();
          } catch (IOException e) {
            // gone already
          }
          it.remove();
          lastSent.remove(i);
        } else {
          i++;
        }
      }
      Thread.sleep(20);
    }
    int held = open.size();
    for (SocketChannel ch : open) {
      ch.close();
    }
    System.out.println(
        "opens=" + opens + " held=" + held + " closedByServer=" + closedByServer
            + " connectFailed=" + connectFailed + " requests=" + requests + " answers=" + answers);
  }
}
