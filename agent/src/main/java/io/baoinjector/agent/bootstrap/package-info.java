/**
 * What the inlined advice calls, loaded by the <em>bootstrap</em> class loader (the agent jar's
 * {@code Boot-Class-Path}), because {@code java.lang.ProcessEnvironment} and {@code
 * java.lang.ProcessBuilder} can only link against classes that loader sees.
 *
 * <p>JDK-only and small on purpose: the lookup hooks do no I/O, take no lock, and never call back
 * into a hooked method. The transport thread publishes an immutable map through {@link
 * io.baoinjector.agent.bootstrap.ManagedEnv#replace}; the lookup hooks only read it. The config
 * hooks ({@link io.baoinjector.agent.bootstrap.Placeholders}) run only at a {@code Properties} load
 * or store and at a snapshot swap: they take the loaded object's monitor and a registry lock (in
 * that order only), and may print the one-line warning for an unknown name. The Spring hooks
 * ({@link io.baoinjector.agent.bootstrap.SpringRefresh}) run in two Spring constructors; the
 * refresh itself runs on its own thread, which the transport thread only notifies.
 */
package io.baoinjector.agent.bootstrap;
