package io.recolens.simulator.internal;

import io.recolens.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/** Builds the impression a traced request served: its slate, feature hashes and timestamp. */
public final class ImpressionFactory {

  static final int CATALOG_SIZE = 50_000;

  private final RandomGenerator random;
  private final SimulatorConfig config;
  private final String runTag;
  private final MessageDigest sha256;

  public ImpressionFactory(RandomGenerator random, SimulatorConfig config, String runTag) {
    this.random = random;
    this.config = config;
    this.runTag = runTag;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public ImpressionRecord create(RequestPlan plan, TraceOutcome trace) {
    Lineage lineage = plan.lineage();
    List<String> hashes = new ArrayList<>(lineage.features().size());
    for (FeatureVersion f : lineage.features()) {
      hashes.add(featureHash(plan.user().id(), f));
    }
    String impressionId = "imp-" + runTag + "-" + plan.seq();
    // Draws only when the fault is on, so runs without it keep their exact random sequence.
    if (config.corruptHashShare() > 0 && random.nextDouble() < config.corruptHashShare()) {
      hashes.set(0, "sha256:corrupt-" + impressionId);
    }
    String modelVersion = lineage.modelVersion();
    if (config.modelMismatchShare() > 0 && random.nextDouble() < config.modelMismatchShare()) {
      modelVersion = lineage.modelVersion() + "-stale";
    }
    return new ImpressionRecord(
        impressionId,
        trace.traceId(),
        lineage,
        plan.user().id(),
        plan.sessionId(),
        plan.surface(),
        trace.rootEndNanos() / 1_000_000L,
        random.nextDouble() < config.epochMillisTimestampShare(),
        plan.user().variants(),
        hashes,
        slate(plan.surface()),
        trace.baggageHeader(),
        modelVersion);
  }

  /** The hash of the feature vector served: stable per user, feature and version, as a real store's would be. */
  private String featureHash(String userId, FeatureVersion f) {
    byte[] digest = sha256.digest((userId + "|" + f.name() + "|" + f.version()).getBytes(StandardCharsets.UTF_8));
    return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
  }

  private List<SlateItem> slate(String surface) {
    int size = switch (surface) {
      case "home_feed" -> 10;
      case "search" -> 8;
      case "item_page" -> 6;
      default -> 4;
    };
    List<SlateItem> items = new ArrayList<>(size);
    int[] chosen = new int[size];
    double score = 0.90 + random.nextDouble() * 0.09;
    for (int pos = 0; pos < size; pos++) {
      int item;
      boolean repeat;
      do {
        item = random.nextInt(CATALOG_SIZE);
        repeat = false;
        for (int j = 0; j < pos; j++) {
          repeat |= chosen[j] == item;
        }
      } while (repeat);
      chosen[pos] = item;
      items.add(new SlateItem("c-" + item, pos, Math.round(score * 10_000) / 10_000.0));
      score -= random.nextDouble() * 0.06;
    }
    return items;
  }
}
