package io.recolens.simulator.internal;

import io.recolens.simulator.SimulatorConfig;
import java.util.random.RandomGenerator;

/**
 * Decides whether a slate is clicked (with the injected hybrid lift), which position (position bias 1/(p+1))
 * and when: a few seconds to minutes later, inside the attribution window unless injected beyond it.
 */
public final class ClickModel {

  /** Outcome for one impression; {@code click} is null when nothing was clicked. */
  public record Decision(ClickRecord click, boolean beyondWindow) {}

  private static final long MIN_DELAY_MS = 500;
  private static final long BEYOND_WINDOW_SPREAD_MS = 10 * 60_000L;

  private final RandomGenerator random;
  private final SimulatorConfig config;
  private final String runTag;

  public ClickModel(RandomGenerator random, SimulatorConfig config, String runTag) {
    this.random = random;
    this.config = config;
    this.runTag = runTag;
  }

  /** {@code forceClick} makes a click happen regardless of CTR (for orphan clicks of lost impressions). */
  public Decision decide(RequestPlan plan, ImpressionRecord imp, boolean forceClick) {
    double ctr = config.baseCtr() + ("hybrid".equals(plan.variant(0)) ? config.hybridCtrLift() : 0.0);
    boolean clicked = random.nextDouble() < ctr;
    if (!clicked && !forceClick) {
      return new Decision(null, false);
    }
    SlateItem item = imp.items().get(biasedPosition(imp.items().size()));
    boolean beyond = !forceClick && random.nextDouble() < config.beyondWindowClickShare();
    long delay;
    if (beyond) {
      delay = config.attributionWindowMs() + 1_000 + random.nextLong(BEYOND_WINDOW_SPREAD_MS);
    } else {
      long drawn = (long) (-config.meanClickDelayMs() * Math.log(1.0 - random.nextDouble()));
      // Keep a margin below the window so that millisecond rounding never pushes a valid click out of it.
      delay = Math.min(Math.max(drawn, MIN_DELAY_MS), config.attributionWindowMs() - 1_000);
    }
    boolean echo = random.nextDouble() < config.clickEchoesExperimentsShare();
    ClickRecord click = new ClickRecord("clk-" + runTag + "-" + plan.seq(), imp.impressionId(), imp.traceId(),
        item.itemId(), item.position(), imp.userId(), imp.timestampMs() + delay,
        random.nextDouble() < config.epochMillisTimestampShare(), echo ? imp.variants() : null);
    return new Decision(click, beyond);
  }

  private int biasedPosition(int size) {
    double total = 0;
    for (int p = 0; p < size; p++) {
      total += 1.0 / (p + 1);
    }
    double target = random.nextDouble() * total;
    for (int p = 0; p < size; p++) {
      target -= 1.0 / (p + 1);
      if (target < 0) {
        return p;
      }
    }
    return size - 1;
  }
}
