package io.recolens.simulator.internal;

import io.recolens.simulator.Experiment;
import io.recolens.simulator.ExperimentAssigner;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The simulated users: cohort, precomputed experiment variants, how often each one comes back (power users
 * far more often than new ones) and session state.
 */
public final class UserPool {

  /** Session inactivity gap after which a returning user starts a new session. */
  static final long SESSION_GAP_MS = 30 * 60 * 1000L;

  /** One user; {@code variants} follows {@link Experiment#at}. */
  public record SimUser(int index, String id, String cohort, List<String> variants) {}

  private final List<SimUser> users;
  private final double[] cumulativeWeight;
  private final long[] lastSeenMs;
  private final int[] sessionSeq;

  public UserPool(int size, RandomGenerator random) {
    this(size, random, 0);
  }

  /** A pool whose users are also assigned to {@code extraExperiments} synthetic experiments. */
  public UserPool(int size, RandomGenerator random, int extraExperiments) {
    users = new ArrayList<>(size);
    cumulativeWeight = new double[size];
    lastSeenMs = new long[size];
    sessionSeq = new int[size];
    double total = 0;
    for (int i = 0; i < size; i++) {
      double r = random.nextDouble();
      String cohort = r < 0.30 ? "new" : r < 0.85 ? "returning" : "power";
      double weight = switch (cohort) {
        case "new" -> 1.0;
        case "returning" -> 2.5;
        default -> 8.0;
      };
      String id = "u-" + i;
      List<String> variants = new ArrayList<>(Experiment.ALL.size() + extraExperiments);
      for (int e = 0; e < Experiment.ALL.size() + extraExperiments; e++) {
        // Assignment is by hash only, never by the seeded generator, so it matches any other implementation.
        variants.add(ExperimentAssigner.assign(id, Experiment.at(e)));
      }
      users.add(new SimUser(i, id, cohort, List.copyOf(variants)));
      total += weight;
      cumulativeWeight[i] = total;
      lastSeenMs[i] = Long.MIN_VALUE;
    }
  }

  public int size() {
    return users.size();
  }

  public SimUser get(int index) {
    return users.get(index);
  }

  /** Draws a user, weighted by how active the cohort is. */
  public SimUser pick(RandomGenerator random) {
    double target = random.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
    int lo = 0;
    int hi = cumulativeWeight.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulativeWeight[mid] <= target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return users.get(lo);
  }

  /** The session of a user seen at {@code nowMs}; a gap longer than 30 minutes opens a new session. */
  public String session(SimUser user, long nowMs) {
    int i = user.index();
    if (lastSeenMs[i] == Long.MIN_VALUE || nowMs - lastSeenMs[i] > SESSION_GAP_MS) {
      sessionSeq[i]++;
    }
    lastSeenMs[i] = nowMs;
    return "s-" + i + "-" + sessionSeq[i];
  }
}
