package io.baoinjector.sidecar.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may touch besides its options: the environment it was started with and its two
 * output streams. Handlers use these instead of {@code System.getenv}/{@code System.out}, so tests
 * run commands in-process.
 *
 * @param env the process environment (also what {@code exec} starts from)
 * @param out stdout: command output only ({@code env} prints variables here)
 * @param err stderr: messages and warnings
 * @param debug {@code --debug} or {@code BAO_INJECTOR_DEBUG=1}: print stack traces
 */
public record CommandContext(
    Map<String, String> env, PrintStream out, PrintStream err, boolean debug) {}
