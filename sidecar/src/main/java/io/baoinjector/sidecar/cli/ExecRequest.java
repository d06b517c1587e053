package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.output.OnChange;
import java.util.List;

/**
 * What {@code exec} was asked to do.
 *
 * @param command the child's argv, at least one element
 * @param passEnv names of the sidecar's own credentials ({@code BAO_TOKEN}, ...) to keep in the
 *     child's environment ({@code --pass-env}, repeatable); all others are removed
 * @param onChange what to do with the child when a value changes
 */
public record ExecRequest(List<String> command, List<String> passEnv, OnChange onChange) {
  public ExecRequest {
    command = List.copyOf(command);
    passEnv = List.copyOf(passEnv);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
  }
}
