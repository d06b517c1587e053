package io.baoinjector.sidecar.snapshot;

/** Told of every published snapshot; an output re-renders only when what it uses changed. */
@FunctionalInterface
public interface SnapshotListener {
  /**
   * Called on the publishing thread after {@code next} became current. Must not block for long;
   * outputs that do I/O hand off to their own executor. {@code previous} is null the first time.
   */
  void onSnapshot(Snapshot previous, Snapshot next);
}
