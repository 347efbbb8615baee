package io.recolens.simulator;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the layout recolens' file source reads: {@code impressions/part-0.jsonl}, {@code clicks/part-0.jsonl}
 * (one JSON record per line) and either {@code spans/part-0.otlp} (each OTLP message as a 4-byte big-endian
 * length then the protobuf bytes) or {@code spans/part-0.jsonl} (one OTLP/JSON message per line).
 *
 * <p>Keys are not stored: every key the simulator uses is also inside the value (or null).
 */
public final class FileTrafficSink implements TrafficSink {

  public static final String PART_FILE = "part-0";

  private final OutputStream impressions;
  private final OutputStream clicks;
  private final DataOutputStream spans;
  private final SpanEncoding spanEncoding;
  private boolean closed;

  public FileTrafficSink(Path dir, SpanEncoding spanEncoding) {
    this.spanEncoding = spanEncoding;
    try {
      impressions = open(dir, Topic.IMPRESSIONS, PART_FILE + ".jsonl");
      clicks = open(dir, Topic.CLICKS, PART_FILE + ".jsonl");
      spans = new DataOutputStream(open(dir, Topic.SPANS, spansFileName(spanEncoding)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create traffic files under " + dir, e);
    }
  }

  /** The spans file name for an encoding: {@code part-0.otlp} or {@code part-0.jsonl}. */
  public static String spansFileName(SpanEncoding encoding) {
    return PART_FILE + (encoding == SpanEncoding.OTLP_PROTO ? ".otlp" : ".jsonl");
  }

  /** Path of one topic's part file under a sink directory. */
  public static Path partFile(Path dir, Topic topic, SpanEncoding encoding) {
    String name = topic == Topic.SPANS ? spansFileName(encoding) : PART_FILE + ".jsonl";
    return dir.resolve(topic.label()).resolve(name);
  }

  private static OutputStream open(Path dir, Topic topic, String file) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(topic.label()));
    return new BufferedOutputStream(Files.newOutputStream(folder.resolve(file)), 1 << 16);
  }

  @Override
  public void impression(byte[] key, byte[] value, long timestampMs) {
    writeLine(impressions, value);
  }

  @Override
  public void click(byte[] key, byte[] value, long timestampMs) {
    writeLine(clicks, value);
  }

  @Override
  public void spans(byte[] key, byte[] value, long timestampMs) {
    try {
      if (spanEncoding == SpanEncoding.OTLP_PROTO) {
        spans.writeInt(value.length);
        spans.write(value);
      } else {
        writeLine(spans, value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeLine(OutputStream out, byte[] value) {
    for (byte b : value) {
      // A raw line break would split one record into two and silently change the counts.
      if (b == '\n' || b == '\r') {
        throw new IllegalArgumentException("a JSON-lines record must not contain a raw line break");
      }
    }
    try {
      out.write(value);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    for (OutputStream out : new OutputStream[] {impressions, clicks, spans}) {
      try {
        out.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw new UncheckedIOException(first);
    }
  }
}
