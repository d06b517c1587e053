package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * The {@code mask:} key, for {@code exec}: {@code mask: true}, or a mapping {@code mask:
 * {min-length: 8}} (which turns it on unless it says {@code enabled: false}). Bound as it is; a
 * left-out key is null here and takes its default.
 *
 * @param enabled conceal the values in the child's stdout and stderr ({@code exec --mask})
 * @param minLength values shorter than this many characters are not concealed (default 6)
 */
public record MaskSettings(Boolean enabled, Integer minLength) {
  public static final int DEFAULT_MIN_LENGTH = 6;
  public static final MaskSettings OFF = new MaskSettings(false, null);

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public MaskSettings {
    enabled = enabled == null || enabled;
    minLength = minLength == null ? DEFAULT_MIN_LENGTH : minLength;
  }

  /** {@code mask: true|false}, or the mapping; any other scalar is one clear error. */
  static final class Reader extends StdDeserializer<MaskSettings> {
    private static final long serialVersionUID = 1L;

    Reader() {
      super(MaskSettings.class);
    }

    @Override
    public MaskSettings deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t.isBoolean()) {
        return new MaskSettings(t == JsonToken.VALUE_TRUE, null);
      }
      if (t == JsonToken.START_OBJECT) {
        return ctxt.readValue(p, MaskSettings.class);
      }
      throw new Binder.Bad(
          "expected true, false or keys under it, got " + YamlScan.kind(t),
          "write mask: true, or min-length: 8 under it");
    }
  }
}
