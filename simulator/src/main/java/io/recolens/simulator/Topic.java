package io.recolens.simulator;

/** The three streams the simulator writes; ground truth and sinks index records by it. */
public enum Topic {
  IMPRESSIONS("impressions"),
  CLICKS("clicks"),
  SPANS("spans");

  private final String label;

  Topic(String label) {
    this.label = label;
  }

  /** Lower-case name used in the ground-truth JSON and as the file-sink folder. */
  public String label() {
    return label;
  }
}
