package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.baoinjector.shared.Reference;
import java.util.List;
import java.util.Map;

/**
 * The top level of {@code sidecar.yaml}, as Jackson binds it; each section binds straight into its
 * public record. A component is a key, named by its kebab-case form ({@code caCert} is {@code
 * ca-cert}); an absent key binds as null. Its type checks the value (see {@link Binder}); a
 * description is the example an error message shows. {@link ConfigKeys} and the docs test read the
 * keys from these records.
 */
record ConfigFile(
    OpenBaoSettings openbao,
    AuthSettings auth,
    Boolean revokeOnExit,
    Map<String, Reference> secrets,
    @JsonPropertyDescription("[{path: secret/app/prod}]") List<SidecarConfig.EnvFrom> envFrom,
    Map<String, Reference> properties,
    RefreshSettings refresh,
    LeaseSettings leases,
    OutputSettings outputs,
    Boolean envReferences,
    CacheSettings cache,
    @JsonDeserialize(using = MaskSettings.Reader.class) MaskSettings mask) {}
