package io.baoinjector.sidecar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.baoinjector.shared.Dotenv;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

  /** Prints {@code values} to {@code out}; names a line cannot carry are listed on {@code err}. */
  void print(Map<String, String> values, PrintStream out, PrintStream err) {
    if (this == JSON) {
      try {
        out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(new TreeMap<>(values)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON", e);
      }
    } else {
      Dotenv.Encoded enc = this == DOTENV ? Dotenv.encode(values) : Dotenv.encodeExport(values);
      if (!enc.skipped().isEmpty()) {
        err.println(
            "bao-injector: skipped names that are not valid environment variable names: "
                + String.join(", ", enc.skipped())
                + " (use env-from sanitize: true, or --format json)");
      }
      out.print(enc.text());
    }
    out.flush();
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
