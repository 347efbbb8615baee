package io.recolens.connectors.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;

/** Typed reads of the current JSON value for the streaming decoders; each failure names the field. */
final class JsonFields {
    private JsonFields() {}

    static String string(JsonParser p, String field) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new DecodeException("field '" + field + "' must be a string, got " + p.currentToken());
        }
        return p.getText();
    }

    /** A string or a number as text: IDs are sometimes written as numbers by careless producers. */
    static String scalarText(JsonParser p, String field) throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        throw new DecodeException("field '" + field + "' must be a string, got " + t);
    }

    static int integer(JsonParser p, String field) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new DecodeException("field '" + field + "' must be an integer, got " + p.currentToken());
        }
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw new DecodeException("field '" + field + "' is out of int range");
        }
        return p.getIntValue();
    }

    static double number(JsonParser p, String field) throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new DecodeException("field '" + field + "' must be a number, got " + t);
        }
        return p.getDoubleValue();
    }

    /** An ISO-8601 instant (with Z or an offset) or integer epoch milliseconds, as number or digits. */
    static long timestamp(JsonParser p, String field) throws IOException, DecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw new DecodeException("field '" + field + "' is out of range: " + p.getText());
            }
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            if (!s.isEmpty() && isDigits(s)) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new DecodeException("field '" + field + "' is out of range: " + s);
                }
            }
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeException | ArithmeticException e2) {
                    throw new DecodeException("field '" + field + "' is not an ISO-8601 timestamp: " + abbreviate(s));
                }
            }
        }
        throw new DecodeException("field '" + field + "' must be an ISO-8601 string or epoch milliseconds, got " + t);
    }

    /** Reads an object of scalar values into the map; nested objects or arrays are rejected. */
    static void stringMap(JsonParser p, String field, Map<String, String> into) throws IOException, DecodeException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new DecodeException("field '" + field + "' must be an object, got " + p.currentToken());
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) continue;
            into.put(key, scalarText(p, field + "." + key));
        }
    }

    /** Lowercase 32-hex W3C trace ID; all zeros is invalid by the W3C trace-context spec. */
    static String traceId(String raw) throws DecodeException {
        String id = raw.trim().toLowerCase(Locale.ROOT);
        if (id.length() != 32 || !isHex(id)) {
            throw new DecodeException("trace_id must be 32 hex characters: " + abbreviate(raw));
        }
        if (id.chars().allMatch(c -> c == '0')) {
            throw new DecodeException("trace_id is all zeros");
        }
        return id;
    }

    static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
        }
        return true;
    }

    private static boolean isDigits(String s) {
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == s.length()) return false;
        for (; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
