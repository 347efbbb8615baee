package io.recolens.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal strict JSON reader for tests (maps, lists, strings, numbers, booleans), built on jackson-core. */
final class TestJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  private TestJson() {}

  /** Parses one JSON document; throws if the bytes are not exactly one valid document. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(byte[] bytes) {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      Object value = read(p, p.nextToken());
      if (p.nextToken() != null) {
        throw new IOException("trailing content");
      }
      if (!(value instanceof Map)) {
        throw new IOException("not an object");
      }
      return (Map<String, Object>) value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the bytes parse as one JSON object. */
  static boolean isObject(byte[] bytes) {
    try {
      object(bytes);
      return true;
    } catch (UncheckedIOException | IllegalStateException e) {
      return false;
    }
  }

  private static Object read(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      throw new IOException("unexpected end");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          m.put(name, read(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          l.add(read(p, v));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected token " + t);
    }
  }
}
