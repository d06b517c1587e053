package io.baoinjector.sidecar.auth;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.HomeDir;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token handed to us: from the environment, from {@code auth.token-file}, or from {@code
 * ~/.vault-token} (as the bao CLI). There is nothing to log in to; "login" checks the token with
 * {@code lookup-self} and reports its TTL. The file is re-read each time so a token rotated by
 * someone else is picked up.
 */
public final class TokenAuth implements AuthMethod {
  static final String LOOKUP_SELF = "auth/token/lookup-self";

  private final SecretValue token;
  private final Path tokenFile;
  private final Path home;

  public TokenAuth(SecretValue token, Path tokenFile) {
    // $HOME as the bao CLI and the config check read it, not the passwd entry (user.home)
    this(token, tokenFile, HomeDir.of(System.getenv()));
  }

  TokenAuth(SecretValue token, Path tokenFile, Path home) {
    this.token = token;
    this.tokenFile = tokenFile;
    this.home = home;
  }

  @Override
  public Token login(OpenBaoClient client) {
    SecretValue t = resolve();
    try {
      return Token.fromLookup(t, client.get(LOOKUP_SELF, t), LOOKUP_SELF);
    } catch (PermissionDeniedException e) {
      // a given token cannot be renewed by logging in: only a new one helps
      throw new TokenInvalidException("GET", LOOKUP_SELF, "give a new one (" + describe() + ")", e);
    }
  }

  private SecretValue resolve() {
    if (token != null && !token.isEmpty()) {
      return token;
    }
    if (tokenFile != null) {
      return CredentialFiles.read("auth.token-file", tokenFile);
    }
    Path vaultToken = home.resolve(".vault-token");
    if (Files.isRegularFile(vaultToken)) {
      return CredentialFiles.read("auth.token-file (default ~/.vault-token)", vaultToken);
    }
    throw new AuthException(
        "auth.method token: no token; set BAO_TOKEN, auth.token-file, or write ~/.vault-token");
  }

  @Override
  public Object credentialStamp() {
    if (token != null && !token.isEmpty()) {
      return null;
    }
    return CredentialFiles.stamp(tokenFile != null ? tokenFile : home.resolve(".vault-token"));
  }

  @Override
  public String describe() {
    if (token != null && !token.isEmpty()) {
      return "token from the environment";
    }
    return "token from " + (tokenFile != null ? tokenFile : "~/.vault-token");
  }
}
