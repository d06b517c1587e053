import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** Connects to a Unix socket and prints what it reads; run by ReadOnlySocketMountTest. */
public class Connect {
  public static void main(String[] args) throws Exception {
    try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
      ByteBuffer buf = ByteBuffer.allocate(64);
      ch.read(buf);
      buf.flip();
      System.out.println("read: " + StandardCharsets.UTF_8.decode(buf));
    }
  }
}
