package io.recolens.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hash assignment: agrees with the seed article's Python, is stable, balanced and independent. */
class ExperimentAssignerTest {

  @Test
  void matchesTheSeedArticlesPythonHashing() {
    // Expected values computed with Python: variants[int(sha256(f"{user}:{exp}").hexdigest(), 16) % len].
    assertThat(ExperimentAssigner.assign("u-0", Experiment.REC_ALGORITHM_V3)).isEqualTo("control");
    assertThat(ExperimentAssigner.assign("u-1", Experiment.REC_ALGORITHM_V3)).isEqualTo("hybrid");
    assertThat(ExperimentAssigner.assign("u-123", Experiment.REC_ALGORITHM_V3)).isEqualTo("collaborative");
    assertThat(ExperimentAssigner.assign("u-123", Experiment.RANKING_BOOST_V2)).isEqualTo("recency_boost");
    assertThat(ExperimentAssigner.assign("alice", Experiment.RANKING_BOOST_V2)).isEqualTo("control");
  }

  @Test
  void isStableAcrossCalls() {
    for (int i = 0; i < 1000; i++) {
      String user = "u-" + i;
      assertThat(ExperimentAssigner.assign(user, Experiment.REC_ALGORITHM_V3))
          .isEqualTo(ExperimentAssigner.assign(user, Experiment.REC_ALGORITHM_V3));
    }
  }

  @Test
  void isRoughlyBalanced() {
    int users = 30_000;
    for (Experiment e : Experiment.ALL) {
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < users; i++) {
        counts.merge(ExperimentAssigner.assign("u-" + i, e), 1, Integer::sum);
      }
      assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(e.variants());
      double expected = 1.0 / e.variants().size();
      counts.values().forEach(c -> assertThat((double) c / users).isCloseTo(expected, within(0.02)));
    }
  }

  @Test
  void experimentsAreAssignedIndependently() {
    int bothFirst = 0;
    int users = 30_000;
    for (int i = 0; i < users; i++) {
      if (ExperimentAssigner.variantIndex("u-" + i, Experiment.REC_ALGORITHM_V3) == 0
          && ExperimentAssigner.variantIndex("u-" + i, Experiment.RANKING_BOOST_V2) == 0) {
        bothFirst++;
      }
    }
    assertThat((double) bothFirst / users).isCloseTo(1.0 / 6, within(0.02));
  }
}
