package io.recolens.simulator.internal;

/**
 * What is decided about one request before it is traced: who, when, where it is shown, which lineage serves
 * it, and which service (if any) receives it without baggage.
 */
public record RequestPlan(
    int seq,
    long arrivalNanos,
    UserPool.SimUser user,
    String sessionId,
    String surface,
    Lineage lineage,
    SimService baggageDroppedAt) {

  public String variant(int experimentIndex) {
    return user.variants().get(experimentIndex);
  }
}
