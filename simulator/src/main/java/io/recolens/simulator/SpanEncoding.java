package io.recolens.simulator;

/** How span batches are encoded on the spans topic, named as the Collector's Kafka exporter names them. */
public enum SpanEncoding {
  OTLP_PROTO("otlp_proto"),
  OTLP_JSON("otlp_json");

  private final String collectorName;

  SpanEncoding(String collectorName) {
    this.collectorName = collectorName;
  }

  /** The Collector's spelling, e.g. {@code otlp_proto}. */
  public String collectorName() {
    return collectorName;
  }

  /** Parses the Collector's spelling (case-insensitive). */
  public static SpanEncoding fromCollectorName(String name) {
    for (SpanEncoding e : values()) {
      if (e.collectorName.equalsIgnoreCase(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown span encoding '" + name + "', expected otlp_proto or otlp_json");
  }
}
