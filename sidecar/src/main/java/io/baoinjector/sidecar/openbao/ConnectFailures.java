package io.baoinjector.sidecar.openbao;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Tells "never reached this address" (safe to try the next HA address at once) from "reached it,
 * then failed" (the request may have been processed; back off and retry).
 */
final class ConnectFailures {
  private ConnectFailures() {}

  static boolean isConnectFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return true;
      }
      if (t instanceof SocketTimeoutException
          && t.getMessage() != null
          && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect")) {
        return true;
      }
    }
    return false;
  }
}
