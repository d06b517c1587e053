package io.baoinjector.sidecar.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.util.Map;
import java.util.regex.Pattern;

/** Looks up a wrapping token, checks where it was created, then unwraps the secret id. */
final class SecretIdUnwrapper {
  private final String mount;
  private final Pattern expected;

  SecretIdUnwrapper(String mount) {
    this.mount = mount;
    this.expected = Pattern.compile("auth/" + Pattern.quote(mount) + "/role/[^/]+/secret-id");
  }

  SecretValue unwrap(OpenBaoClient client, SecretValue wrappingToken) {
    JsonNode info;
    try {
      info = client.login("sys/wrapping/lookup", Map.of("token", wrappingToken.reveal()));
    } catch (UnavailableException e) {
      throw e;
    } catch (OpenBaoException e) {
      throw new AuthException(
          "auth.secret-id-file: the wrapping token is invalid, expired or already used"
              + " (possible tampering: someone else may have unwrapped it); write a fresh"
              + " wrapped secret id",
          e);
    }
    String creationPath = info == null ? "" : info.path("data").path("creation_path").asText("");
    if (!expected.matcher(creationPath).matches()) {
      throw new AuthException(
          "auth.secret-id-file: the wrapping token was created by '"
              + creationPath
              + "', not by auth/"
              + mount
              + "/role/<role>/secret-id; refusing to unwrap it (possible tampering)");
    }
    JsonNode unwrapped = client.post("sys/wrapping/unwrap", null, wrappingToken);
    JsonNode id = unwrapped == null ? null : unwrapped.path("data").get("secret_id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      throw new AuthException(
          "auth.secret-id-file: the unwrapped answer holds no secret_id; wrap the answer of"
              + " auth/"
              + mount
              + "/role/<role>/secret-id");
    }
    return SecretValue.of(id.asText());
  }
}
