package io.recolens.simulator.internal;

import io.recolens.simulator.MalformedKind;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Produces broken variants of real records that can never be mistaken for valid ones: truncations that cut
 * inside the outermost structure and random bytes with an impossible first byte. None contains a line break,
 * so JSON-lines files keep one record per line.
 */
public final class MalformedRecords {

  private static final byte NEVER_JSON = (byte) 0xFF;
  /** Field number 0 with wire type 7: two independent reasons no protobuf parser accepts it. */
  private static final byte NEVER_PROTOBUF_TAG = 0x07;

  private MalformedRecords() {}

  /** A strict, non-empty prefix of a JSON object (the closing brace is always lost). */
  public static byte[] truncateJson(byte[] json, RandomGenerator random) {
    if (json.length < 2) {
      return new byte[] {'{'};
    }
    return Arrays.copyOf(json, 1 + random.nextInt(json.length - 1));
  }

  /** 8 to 64 random bytes, without CR or LF, starting with a byte that rules out JSON or protobuf. */
  public static byte[] randomBytes(RandomGenerator random, boolean protobuf) {
    byte[] out = new byte[8 + random.nextInt(57)];
    for (int i = 1; i < out.length; i++) {
      byte b;
      do {
        b = (byte) random.nextInt(256);
      } while (b == '\n' || b == '\r');
      out[i] = b;
    }
    out[0] = protobuf ? NEVER_PROTOBUF_TAG : NEVER_JSON;
    return out;
  }

  /**
   * Cuts an OTLP message inside its first length-delimited {@code resource_spans} field, so the declared length
   * runs past the end. (A cut at a field boundary would parse as a smaller, valid message.)
   */
  public static byte[] truncateProtobuf(byte[] message, RandomGenerator random) {
    if (message.length < 3 || message[0] != 0x0A) {
      throw new IllegalArgumentException("expected an ExportTraceServiceRequest starting with resource_spans");
    }
    long length = 0;
    int shift = 0;
    int pos = 1;
    while (true) {
      byte b = message[pos++];
      length |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    int header = pos;
    return Arrays.copyOf(message, header + random.nextInt((int) length));
  }

  /** The malformation of a JSON record, by kind. */
  public static MalformedKind pickJsonKind(RandomGenerator random, boolean missingFieldPossible) {
    int n = random.nextInt(missingFieldPossible ? 3 : 2);
    return switch (n) {
      case 0 -> MalformedKind.TRUNCATED_JSON;
      case 1 -> MalformedKind.RANDOM_BYTES;
      default -> MalformedKind.MISSING_REQUIRED_FIELD;
    };
  }
}
