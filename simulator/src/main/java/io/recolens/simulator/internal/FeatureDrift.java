package io.recolens.simulator.internal;

import io.recolens.simulator.Experiment;
import io.recolens.simulator.SimulatorConfig;

/** Decides which requests the injected feature version switch reaches: one cohort, from a set time, optionally one variant. */
public final class FeatureDrift {
  private FeatureDrift() {}

  /** Whether a request of {@code user} arriving at {@code arrivalNanos} is served the switched feature version. */
  public static boolean applies(SimulatorConfig config, UserPool.SimUser user, long arrivalNanos) {
    if (!config.featureDriftEnabled() || !config.featureDriftCohort().equals(user.cohort())) {
      return false;
    }
    if (arrivalNanos / 1_000_000L < switchAtMs(config)) {
      return false;
    }
    String only = config.featureDriftVariant();
    if (only == null) {
      return true;
    }
    String[] ev = only.split("=", 2);
    for (int i = 0; i < Experiment.ALL.size(); i++) {
      if (Experiment.ALL.get(i).name().equals(ev[0])) {
        return user.variants().get(i).equals(ev[1]);
      }
    }
    throw new IllegalArgumentException("featureDriftVariant names no simulated experiment: " + only);
  }

  /** Event time of the switch. */
  public static long switchAtMs(SimulatorConfig config) {
    return config.startEpochMs() + config.featureDriftOffsetMs();
  }
}
