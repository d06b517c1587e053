package io.baoinjector.sidecar.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where OpenBao is and how to talk to it.
 *
 * @param addresses one or more (HA): on a connection failure the client tries the next
 * @param namespace sent as {@code X-Vault-Namespace}; "" for none
 * @param caCert PEM bundle to trust instead of the JDK's, or null
 * @param tlsSkipVerify accept any certificate (tests only; warned at startup)
 */
public record OpenBaoSettings(
    List<URI> addresses, String namespace, Path caCert, boolean tlsSkipVerify) {}
