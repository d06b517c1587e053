package io.baoinjector.backend.gcp;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * google-auth's HTTP (token endpoint, metadata server, STS) on the sidecar's OkHttp, so a login is
 * bounded like every other call (connect 5 s, whole call 15 s) and needs neither Apache HTTP nor
 * HttpURLConnection's unbounded reads. A request may ask for shorter timeouts (the metadata server
 * probe does), never longer ones.
 */
final class OkHttpTransport extends HttpTransport {
  private final OkHttpClient http;

  OkHttpTransport(OkHttpClient http) {
    this.http = http;
  }

  @Override
  protected LowLevelHttpRequest buildRequest(String method, String url) {
    return new OkRequest(http, method, url);
  }

  private static final class OkRequest extends LowLevelHttpRequest {
    private final Request.Builder request;
    private final String method;
    private OkHttpClient http;

    OkRequest(OkHttpClient http, String method, String url) {
      this.http = http;
      this.method = method;
      this.request = new Request.Builder().url(url);
    }

    @Override
    public void addHeader(String name, String value) {
      request.addHeader(name, value);
    }

    @Override
    public void setTimeout(int connectMillis, int readMillis) {
      OkHttpClient.Builder b = http.newBuilder();
      if (connectMillis > 0 && connectMillis < http.connectTimeoutMillis()) {
        b.connectTimeout(connectMillis, TimeUnit.MILLISECONDS);
      }
      if (readMillis > 0 && readMillis < http.readTimeoutMillis()) {
        b.readTimeout(readMillis, TimeUnit.MILLISECONDS);
      }
      http = b.build();
    }

    @Override
    public LowLevelHttpResponse execute() throws IOException {
      RequestBody body = null;
      if (getStreamingContent() != null) {
        Buffer buf = new Buffer();
        getStreamingContent().writeTo(buf.outputStream());
        String type = getContentType();
        body =
            RequestBody.create(buf.readByteString(), type == null ? null : MediaType.parse(type));
        if (getContentEncoding() != null) {
          request.header("Content-Encoding", getContentEncoding());
        }
      } else if (method.equals("POST") || method.equals("PUT")) {
        body = RequestBody.create(new byte[0], null);
      }
      return new OkResponse(http.newCall(request.method(method, body).build()).execute());
    }
  }

  private static final class OkResponse extends LowLevelHttpResponse {
    private final Response response;

    OkResponse(Response response) {
      this.response = response;
    }

    @Override
    public InputStream getContent() {
      return response.body() == null ? null : response.body().byteStream();
    }

    @Override
    public String getContentEncoding() {
      return response.header("Content-Encoding");
    }

    @Override
    public long getContentLength() {
      return response.body() == null ? -1 : response.body().contentLength();
    }

    @Override
    public String getContentType() {
      return response.header("Content-Type");
    }

    @Override
    public String getStatusLine() {
      return response.protocol().toString().toUpperCase(Locale.ROOT)
          + " "
          + response.code()
          + " "
          + response.message();
    }

    @Override
    public int getStatusCode() {
      return response.code();
    }

    @Override
    public String getReasonPhrase() {
      return response.message();
    }

    @Override
    public int getHeaderCount() {
      return response.headers().size();
    }

    @Override
    public String getHeaderName(int index) {
      return response.headers().name(index);
    }

    @Override
    public String getHeaderValue(int index) {
      return response.headers().value(index);
    }

    @Override
    public void disconnect() {
      response.close();
    }
  }
}
