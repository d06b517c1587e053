package io.baoinjector.sidecar.openbao;

import java.util.List;

/** 503 with OpenBao saying it is sealed. */
public class SealedException extends UnavailableException {
  public SealedException(String method, String path, List<String> errors) {
    super(method, path, 503, errors, "sealed", null);
  }
}
