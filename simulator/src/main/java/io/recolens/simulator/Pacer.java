package io.recolens.simulator;

/** Decides when a record may leave: immediately (benchmarks, tests) or at its simulated time on the wall clock. */
@FunctionalInterface
public interface Pacer {

  /** Emits as fast as possible. */
  Pacer NONE = emitAtMs -> { };

  /** Blocks until the record due at simulated {@code emitAtMs} may be emitted. */
  void awaitEmission(long emitAtMs) throws InterruptedException;

  /**
   * Maps simulated time to wall time: the record due at {@code simStartMs} leaves now, later ones after the
   * same simulated distance divided by {@code speed}.
   */
  static Pacer wallClock(long simStartMs, double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("speed must be > 0");
    }
    long wallStartNanos = System.nanoTime();
    return emitAtMs -> {
      long dueNanos = wallStartNanos + (long) ((emitAtMs - simStartMs) * 1_000_000L / speed);
      long waitNanos = dueNanos - System.nanoTime();
      if (waitNanos > 0) {
        Thread.sleep(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
      }
    };
  }
}
