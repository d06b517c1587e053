/**
 * The {@code bao-injector} command line: picocli classes that parse options and print, nothing
 * more. What a command does, and in which order (files, server, login, load, keep current), lives
 * in {@link io.baoinjector.sidecar.Sidecar}.
 *
 * <h2>Adding a command</h2>
 *
 * <ol>
 *   <li>Write the behaviour as one method on {@link io.baoinjector.sidecar.Sidecar} when it needs
 *       the config and a login (it builds its pipeline, starts the parts it needs, returns the exit
 *       code), or as a tool class beside the part it uses when it does not (as {@code get} uses
 *       {@link io.baoinjector.sidecar.output.socket.SecretClient}).
 *   <li>Add its picocli class to {@link io.baoinjector.sidecar.cli.Commands} (extend {@code
 *       ConfigCommand} when it reads {@code sidecar.yaml}), register it in {@code
 *       Main.commandLine}, and hand the parsed options to a new default method of {@link
 *       io.baoinjector.sidecar.cli.CommandHandlers} that calls the method from step 1 and prints.
 *   <li>A lifecycle tool that writes to OpenBao as the operator (import, rotate, policy,
 *       approle-setup) lives in {@code io.baoinjector.sidecar.tools}: a picocli class extending its
 *       base there, logging in through {@code tools.Connection}, added after the sidecar's commands
 *       in {@code Main.commandLine} with the invocation's environment.
 *   <li>Test the parsing with {@code MainTest}'s recording handlers and the behaviour against a
 *       real OpenBao in an IT. Keep the rules: a user mistake is one line naming the option or key
 *       and the fix, exit 2; a runtime failure one line, exit 1; never a secret value.
 * </ol>
 */
package io.baoinjector.sidecar.cli;
