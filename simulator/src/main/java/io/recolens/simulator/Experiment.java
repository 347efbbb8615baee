package io.recolens.simulator;

import java.util.List;

/** One A/B experiment: its name and its variants in assignment order (index = hash mod size). */
public record Experiment(String name, List<String> variants) {

  public static final Experiment REC_ALGORITHM_V3 =
      new Experiment("rec_algorithm_v3", List.of("control", "collaborative", "hybrid"));
  public static final Experiment RANKING_BOOST_V2 =
      new Experiment("ranking_boost_v2", List.of("control", "recency_boost"));

  /** The experiments the simulator runs, in the order they appear in records. */
  public static final List<Experiment> ALL = List.of(REC_ALGORITHM_V3, RANKING_BOOST_V2);

  /**
   * The experiment at position {@code index} of a record: the real ones of {@link #ALL} first, then synthetic load
   * experiments ({@code load_exp_01}, ...; control and treatment, no effect) when the simulation asks for more.
   */
  public static Experiment at(int index) {
    if (index < ALL.size()) {
      return ALL.get(index);
    }
    return new Experiment(String.format("load_exp_%02d", index - ALL.size() + 1), List.of("control", "treatment"));
  }

  public Experiment {
    variants = List.copyOf(variants);
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("an experiment needs at least one variant");
    }
  }

  /** The baggage key and span attribute that carry this experiment's variant. */
  public String baggageKey() {
    return "experiment." + name;
  }
}
