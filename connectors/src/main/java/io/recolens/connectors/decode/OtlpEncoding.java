package io.recolens.connectors.decode;

/** How an OTLP traces message is encoded: the two encodings of the Collector's Kafka exporter. */
public enum OtlpEncoding {
    /** Binary protobuf {@code TracesData} (wire-compatible with {@code ExportTraceServiceRequest}). */
    OTLP_PROTO("otlp_proto"),
    /** OTLP/JSON: lowerCamelCase keys, hex IDs, integer enums, 64-bit integers possibly as strings. */
    OTLP_JSON("otlp_json");

    private final String configName;

    OtlpEncoding(String configName) {
        this.configName = configName;
    }

    /** The Collector's name for this encoding, also used as the dead-letter kind. */
    public String configName() {
        return configName;
    }

    /** Parses the Collector's names ({@code otlp_proto}, {@code otlp_json}). */
    public static OtlpEncoding fromConfigName(String name) {
        for (OtlpEncoding e : values()) {
            if (e.configName.equalsIgnoreCase(name)) return e;
        }
        throw new IllegalArgumentException("unknown OTLP encoding '" + name + "', expected otlp_proto or otlp_json");
    }
}
