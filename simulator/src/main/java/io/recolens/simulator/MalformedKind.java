package io.recolens.simulator;

/** The ways the simulator deliberately breaks a record; every such record is listed in the ground truth. */
public enum MalformedKind {
  /** A strict prefix of a real JSON record: never valid JSON. */
  TRUNCATED_JSON,
  /** Random bytes whose first byte can never start valid JSON (0xFF) or a valid protobuf tag (0x07). */
  RANDOM_BYTES,
  /** A well-formed JSON object without a required field ({@code impression_id}). */
  MISSING_REQUIRED_FIELD,
  /** A real OTLP message cut inside its first {@code ResourceSpans}: never parses. */
  TRUNCATED_PROTOBUF
}
