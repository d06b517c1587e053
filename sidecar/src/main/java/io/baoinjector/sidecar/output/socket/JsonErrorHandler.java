package io.baoinjector.sidecar.output.socket;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (malformed request line 400, headers too large 431, ...) as JSON like
 * every other answer of the API. The body carries the status's reason phrase only: Jetty's detail
 * message can echo parts of the request.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    byte[] body = JsonBody.error(code, reason(code));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  static String reason(int code) {
    String r = HttpStatus.getMessage(code);
    return r == null ? "error" : r.toLowerCase(java.util.Locale.ROOT);
  }
}
