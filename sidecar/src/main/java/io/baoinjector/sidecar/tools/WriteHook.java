package io.baoinjector.sidecar.tools;

/**
 * Called between reading a secret and writing its next version with check-and-set. Production
 * passes {@link #NONE}; tests make the concurrent write here that the check-and-set must catch, so
 * the race is shown without timing.
 */
interface WriteHook {
  WriteHook NONE = p -> {};

  void betweenReadAndWrite(KvPath path);
}
