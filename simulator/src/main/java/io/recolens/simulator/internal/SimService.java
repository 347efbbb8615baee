package io.recolens.simulator.internal;

/** The instrumented services of the simulated recommendation backend, with their {@code service.name}. */
public enum SimService {
  GATEWAY("recommendation-gateway", "2.4.0"),
  FEATURE_STORE("feature-store", "1.12.3"),
  CANDIDATE_GEN("candidate-gen", "0.9.1"),
  RANKER("ranker", "3.2.1"),
  CACHE("redis-cache", "7.2.4"),
  DATABASE("postgres", "16.4"),
  FEATURE_PIPELINE("feature-pipeline", "2026.1");

  private final String serviceName;
  private final String version;

  SimService(String serviceName, String version) {
    this.serviceName = serviceName;
    this.version = version;
  }

  public String serviceName() {
    return serviceName;
  }

  public String version() {
    return version;
  }
}
