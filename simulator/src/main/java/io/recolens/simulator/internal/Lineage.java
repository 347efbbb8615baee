package io.recolens.simulator.internal;

import java.util.List;

/** The signals behind one served slate: ranker model version and the feature versions it read. */
public record Lineage(String id, String modelName, String modelVersion, String featureStoreVersion,
    List<FeatureVersion> features) {

  /** The production lineage. */
  public static final Lineage STABLE = of("3.2.1", "v12", "v12", "v7", "run-20251231-0200");
  /** The canary lineage a configurable share of requests is served from. */
  public static final Lineage CANARY = of("3.3.0", "v13", "v13", "v8", "run-20251231-1400");

  /** Lineages whose feature pipelines ran before traffic starts. */
  public static final List<Lineage> ALL = List.of(STABLE, CANARY);
  /** A lineage whose feature pipeline runs only after traffic under it started: provenance after impressions. */
  public static final Lineage LATE = of("3.4.0", "v14", "v14", "v9", "run-20260101-0001");
  /** A lineage no feature-pipeline trace ever describes: its impressions have no known ancestry. */
  public static final Lineage UNTRACED = of("3.4.1", "v15", "v15", "v10", "run-unknown");

  public Lineage {
    features = List.copyOf(features);
  }

  /**
   * This lineage with {@code feature} served at {@code version} (same lineage ID, model and other features): a feature
   * version switch. The feature's source and pipeline run name the new version.
   */
  public Lineage withFeatureVersion(String feature, String version) {
    List<FeatureVersion> switched = new java.util.ArrayList<>(features.size());
    for (FeatureVersion f : features) {
      switched.add(f.name().equals(feature) ? switchedTo(f, version) : f);
    }
    return new Lineage(id, modelName, modelVersion, featureStoreVersion, switched);
  }

  /** The lineage a pipeline run for the switched feature alone describes (same lineage ID), or null if it has no such feature. */
  public Lineage onlySwitched(String feature, String version) {
    for (FeatureVersion f : features) {
      if (f.name().equals(feature)) {
        return new Lineage(id, modelName, modelVersion, featureStoreVersion, List.of(switchedTo(f, version)));
      }
    }
    return null;
  }

  private static FeatureVersion switchedTo(FeatureVersion f, String version) {
    String source = f.source().substring(0, f.source().lastIndexOf('_') + 1) + version;
    return new FeatureVersion(f.name(), version, source, "run-switch-" + version);
  }

  private static Lineage of(String modelVersion, String fsVersion, String embeddingVersion,
      String popularityVersion, String run) {
    return new Lineage("lin-ranker-" + modelVersion + "-fs-" + fsVersion, "ranker", modelVersion, fsVersion,
        List.of(
            new FeatureVersion("user_embedding", embeddingVersion,
                "warehouse.features.user_embedding_" + embeddingVersion, run),
            new FeatureVersion("item_popularity", popularityVersion,
                "stream.reco_events.item_popularity_" + popularityVersion, run)));
  }
}
