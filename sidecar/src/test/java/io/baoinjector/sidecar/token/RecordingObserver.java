package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.auth.Token;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records lifecycle events as short strings: login, login-failed, renewal, renewal-failed. */
final class RecordingObserver implements TokenObserver {
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onLogin(Token token) {
    events.add("login");
  }

  @Override
  public void onLoginFailure(Exception e) {
    events.add("login-failed");
  }

  @Override
  public void onRenewal(Token token) {
    events.add("renewal");
  }

  @Override
  public void onRenewalFailure(Exception e) {
    events.add("renewal-failed");
  }

  long count(String event) {
    return events.stream().filter(event::equals).count();
  }
}
