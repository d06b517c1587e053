package io.baoinjector.sidecar.auth;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AppRole: role id and secret id from files. After the first successful login the secret-id file is
 * deleted (unless {@code keep-secret-id-file}) so the credential does not outlive its use on disk;
 * the secret id stays in memory for later re-logins. A file that cannot be deleted (read-only
 * mount) only warns: refusing to run would be worse than the leftover file.
 *
 * <p>With {@code secret-id-wrapped} the file holds a response-wrapping token. Before unwrapping we
 * look it up and check that it was created by {@code auth/<mount>/role/<role>/secret-id}: a token
 * wrapped anywhere else means someone substituted the file (or already unwrapped and re-wrapped
 * it), and we refuse rather than log in with a credential an attacker chose.
 */
public final class AppRoleAuth implements AuthMethod {
  private static final Logger log = LoggerFactory.getLogger(AppRoleAuth.class);

  private final String mount;
  private final Path roleIdFile;
  private final Path secretIdFile;
  private final boolean wrapped;
  private final boolean keepSecretIdFile;
  private final FileRemover remover;

  /** What the secret-id file held when we last used it, and the secret id it gave. */
  private SecretValue consumedFileContent;

  private SecretValue secretId;

  public AppRoleAuth(
      String mount, Path roleIdFile, Path secretIdFile, boolean wrapped, boolean keepSecretIdFile) {
    this(mount, roleIdFile, secretIdFile, wrapped, keepSecretIdFile, Files::delete);
  }

  AppRoleAuth(
      String mount,
      Path roleIdFile,
      Path secretIdFile,
      boolean wrapped,
      boolean keepSecretIdFile,
      FileRemover remover) {
    this.mount = Objects.requireNonNull(mount, "mount == null");
    this.roleIdFile = roleIdFile;
    this.secretIdFile = secretIdFile;
    this.wrapped = wrapped;
    this.keepSecretIdFile = keepSecretIdFile;
    this.remover = remover;
  }

  @Override
  public synchronized Token login(OpenBaoClient client) {
    SecretValue roleId = CredentialFiles.read("auth.role-id-file", roleIdFile);
    SecretValue fileContent = null;
    SecretValue useSecretId;
    if (secretIdFile != null && Files.exists(secretIdFile)) {
      fileContent = CredentialFiles.read("auth.secret-id-file", secretIdFile);
    }
    if (fileContent != null && !fileContent.equals(consumedFileContent)) {
      if (wrapped) {
        // a wrapping token works once: remember what it gave even if the login below fails
        useSecretId = new SecretIdUnwrapper(mount).unwrap(client, fileContent);
        consumedFileContent = fileContent;
        secretId = useSecretId;
      } else {
        useSecretId = fileContent;
      }
    } else if (secretId != null) {
      // the file is gone (we deleted it) or unchanged (a wrapping token is single-use)
      useSecretId = secretId;
    } else if (secretIdFile == null) {
      throw new AuthException("auth.secret-id-file: not set; give the file holding the secret id");
    } else {
      throw new AuthException("auth.secret-id-file: file not found: " + secretIdFile);
    }
    String path = "auth/" + mount + "/login";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("role_id", roleId.reveal());
    body.put("secret_id", useSecretId.reveal());
    Token token = Token.fromAuth(client.login(path, body), "POST", path);
    secretId = useSecretId;
    if (fileContent != null) {
      consumedFileContent = fileContent;
      if (!keepSecretIdFile) {
        remove();
      }
    }
    return token;
  }

  private void remove() {
    try {
      remover.remove(secretIdFile);
      log.info("auth.secret-id-file: removed {} after login", secretIdFile);
    } catch (IOException e) {
      log.warn(
          "auth.secret-id-file: cannot remove {} after login ({}); remove it yourself, or set"
              + " auth.keep-secret-id-file: true to silence this",
          secretIdFile,
          e.getClass().getSimpleName());
    }
  }

  @Override
  public Object credentialStamp() {
    return CredentialFiles.stamp(roleIdFile, secretIdFile);
  }

  @Override
  public String describe() {
    return "approle at auth/" + mount;
  }

  /** Deletes the secret-id file; a seam so tests can simulate a read-only mount. */
  @FunctionalInterface
  interface FileRemover {
    void remove(Path file) throws IOException;
  }
}
