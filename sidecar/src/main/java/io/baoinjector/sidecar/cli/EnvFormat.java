package io.baoinjector.sidecar.cli;

import java.util.Locale;
import picocli.CommandLine;

/** {@code env --format}: how the resolved variables are printed. */
public enum EnvFormat {
  /** {@code export NAME='value'} lines, for {@code eval "$(bao-injector env)"}. */
  EXPORT,
  /** {@code NAME='value'} lines, as the dotenv file output writes them. */
  DOTENV,
  /** One flat JSON object. */
  JSON;

  /** The name as typed on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static final class Converter implements CommandLine.ITypeConverter<EnvFormat> {
    @Override
    public EnvFormat convert(String value) {
      for (EnvFormat f : values()) {
        if (f.cliName().equals(value)) {
          return f;
        }
      }
      throw new CommandLine.TypeConversionException(
          "expected export, dotenv or json, got '" + value + "'");
    }
  }
}
