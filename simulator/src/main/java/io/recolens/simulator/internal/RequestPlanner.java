package io.recolens.simulator.internal;

import io.recolens.simulator.SimulatorConfig;
import java.util.random.RandomGenerator;

/** Draws who sends each request, from which surface, under which lineage, and where baggage gets lost. */
public final class RequestPlanner {

  static final String[] SURFACES = {"home_feed", "item_page", "search", "notifications"};
  private static final double[] SURFACE_CUMULATIVE = {0.55, 0.80, 0.95, 1.0};
  /** Hops whose HTTP client in this simulated fleet might not forward baggage. */
  static final SimService[] DROPPING_CALLEES = {SimService.FEATURE_STORE, SimService.CANDIDATE_GEN, SimService.RANKER};

  private final UserPool users;
  private final RandomGenerator random;
  private final SimulatorConfig config;

  public RequestPlanner(UserPool users, RandomGenerator random, SimulatorConfig config) {
    this.users = users;
    this.random = random;
    this.config = config;
  }

  public RequestPlan plan(int seq, long arrivalNanos) {
    UserPool.SimUser user = users.pick(random);
    String session = users.session(user, arrivalNanos / 1_000_000L);
    double s = random.nextDouble();
    int surface = 0;
    while (s >= SURFACE_CUMULATIVE[surface]) {
      surface++;
    }
    Lineage lineage = random.nextDouble() < config.canaryLineageShare() ? Lineage.CANARY : Lineage.STABLE;
    SimService dropped = random.nextDouble() < config.droppedBaggageShare()
        ? DROPPING_CALLEES[random.nextInt(DROPPING_CALLEES.length)]
        : null;
    double other = config.lateLineageShare() + config.untracedLineageShare();
    if (other > 0) {
      double l = random.nextDouble();
      if (l < config.lateLineageShare()) {
        lineage = Lineage.LATE;
      } else if (l < other) {
        lineage = Lineage.UNTRACED;
      }
    }
    if (FeatureDrift.applies(config, user, arrivalNanos)) {
      lineage = lineage.withFeatureVersion(config.featureDriftFeature(), config.featureDriftVersion());
    }
    return new RequestPlan(seq, arrivalNanos, user, session, SURFACES[surface], lineage, dropped);
  }
}
