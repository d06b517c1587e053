/**
 * What the inlined advice calls, loaded by the <em>bootstrap</em> class loader (the agent jar's
 * {@code Boot-Class-Path}), because {@code java.lang.ProcessEnvironment} and {@code
 * java.lang.ProcessBuilder} can only link against classes that loader sees.
 *
 * <p>JDK-only and small on purpose: nothing here may do I/O, take a lock, or call back into a
 * hooked method. The transport thread publishes an immutable map through {@link
 * io.baoinjector.agent.bootstrap.ManagedEnv#replace}; hooks only read it.
 */
package io.baoinjector.agent.bootstrap;
