package io.recolens.simulator.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.recolens.simulator.Experiment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes impression and click JSON with the exact field names of the recolens input contract, streaming
 * through one reused buffer (no object trees) because the simulator writes hundreds of thousands per second.
 */
public final class RecordJson {

  /** ISO-8601 UTC with exactly three fraction digits; {@code Instant.toString} drops zero millis. */
  public static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final JsonFactory factory = new JsonFactory();
  private final ByteArrayBuilder buffer = new ByteArrayBuilder(2048);

  /** The impression as JSON; {@code omitImpressionId} produces the "missing required field" malformation. */
  public byte[] impression(ImpressionRecord r, boolean omitImpressionId) {
    buffer.reset();
    try (JsonGenerator g = factory.createGenerator(buffer)) {
      g.writeStartObject();
      if (!omitImpressionId) {
        g.writeStringField("impression_id", r.impressionId());
      }
      g.writeStringField("trace_id", r.traceId());
      g.writeStringField("lineage_id", r.lineage().id());
      g.writeStringField("user_id", r.userId());
      g.writeStringField("session_id", r.sessionId());
      g.writeStringField("surface", r.surface());
      writeTimestamp(g, r.timestampMs(), r.timestampAsEpochMillis());
      writeExperiments(g, r.variants());
      g.writeObjectFieldStart("model");
      g.writeStringField("name", r.lineage().modelName());
      g.writeStringField("version", r.modelVersion());
      g.writeEndObject();
      g.writeObjectFieldStart("features");
      List<FeatureVersion> features = r.lineage().features();
      for (int i = 0; i < features.size(); i++) {
        g.writeObjectFieldStart(features.get(i).name());
        g.writeStringField("version", features.get(i).version());
        g.writeStringField("hash", r.featureHashes().get(i));
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeArrayFieldStart("items");
      for (SlateItem item : r.items()) {
        g.writeStartObject();
        g.writeStringField("item_id", item.itemId());
        g.writeNumberField("position", item.position());
        g.writeNumberField("score", item.score());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("baggage", r.baggage());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  /** The click as JSON; {@code omitImpressionId} produces the "missing required field" malformation. */
  public byte[] click(ClickRecord c, boolean omitImpressionId) {
    buffer.reset();
    try (JsonGenerator g = factory.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("click_id", c.clickId());
      if (!omitImpressionId) {
        g.writeStringField("impression_id", c.impressionId());
      }
      g.writeStringField("trace_id", c.traceId());
      g.writeStringField("item_id", c.itemId());
      g.writeNumberField("position", c.position());
      g.writeStringField("user_id", c.userId());
      writeTimestamp(g, c.timestampMs(), c.timestampAsEpochMillis());
      if (c.variants() != null) {
        writeExperiments(g, c.variants());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static void writeTimestamp(JsonGenerator g, long epochMs, boolean asNumber) throws IOException {
    if (asNumber) {
      g.writeNumberField("timestamp", epochMs);
    } else {
      g.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(epochMs)));
    }
  }

  private static void writeExperiments(JsonGenerator g, List<String> variants) throws IOException {
    g.writeObjectFieldStart("experiments");
    for (int i = 0; i < variants.size(); i++) {
      g.writeStringField(Experiment.at(i).name(), variants.get(i));
    }
    g.writeEndObject();
  }
}
