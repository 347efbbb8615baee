package io.recolens.connectors.decode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces user-ID values in the raw bytes of a rejected record by their unit key (the HMAC {@link UnitKeys} gives
 * good records), so no raw user ID reaches the {@code dead_letters} table, also when the record is broken or cut
 * short. JSON is scanned string by string, not parsed: it works on any prefix of any bytes. Protobuf is masked in
 * place, length-preserving, so the message's framing stays intact. See docs/privacy.md. Not thread-safe.
 */
public final class UserIdScrubber {
    /** Key names (compared case-insensitively) whose value is a user ID. */
    static final Set<String> USER_ID_KEYS = Set.of("user_id", "userid", "user.id", "enduser.id");
    /** OTLP/JSON attribute value fields that follow {@code "key":"enduser.id"}. */
    private static final Set<String> ATTRIBUTE_VALUE_FIELDS = Set.of("stringvalue", "intvalue");
    /** A baggage entry {@code user.id=...} or {@code enduser.id=...} (W3C baggage: entries split by ',', properties by ';'). */
    private static final Pattern BAGGAGE_ENTRY = Pattern.compile("(?i)(?<![A-Za-z0-9_.-])((?:end)?user\\.id)(\\s*=\\s*)([^,;\"\\\\\\s]*)");
    private static final byte[] PROTO_KEY = "user.id".getBytes(StandardCharsets.US_ASCII);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final UnitKeys unitKeys;

    public UserIdScrubber(UnitKeys unitKeys) {
        this.unitKeys = unitKeys;
    }

    /** Scrubbed bytes (null when they had to be dropped) and the raw IDs found, to scrub error texts too. */
    public record Result(byte[] bytes, Set<String> userIds) {
        /**
         * {@code text} with every raw user ID found replaced where it stands as a token of its own (so an ID "u" does
         * not rewrite the word "required"); longer IDs first, so one inside another is not left half.
         */
        public String scrub(String text, UnitKeys keys) {
            if (text == null || userIds.isEmpty()) return text;
            String out = text;
            for (String id : userIds.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
                if (id.isEmpty()) continue;
                Pattern token = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(id) + "(?![A-Za-z0-9_-])");
                out = token.matcher(out).replaceAll(Matcher.quoteReplacement(keys.unitKey(id)));
            }
            return out;
        }
    }

    public UnitKeys unitKeys() {
        return unitKeys;
    }

    /** Scrubs JSON or JSON-like text: user-ID fields, OTLP/JSON {@code enduser.id} attributes, and baggage entries. */
    public Result json(byte[] raw) {
        Set<String> ids = new LinkedHashSet<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        int n = raw.length;
        int i = 0;
        boolean attributePending = false;
        int scrubDepth = 0; // > 0 inside an object or array that is a user-ID field's value: every scalar in it goes
        while (i < n) {
            byte b = raw[i];
            if (b == '"') {
                int end = endOfString(raw, i);
                String text = decodeString(raw, i + 1, end);
                int next = skipWhitespace(raw, end);
                boolean isKey = next < n && raw[next] == ':';
                String lower = text.toLowerCase(Locale.ROOT);
                if (scrubDepth > 0 && !isKey) {
                    writeScrubbed(out, text, ids);
                    i = end;
                    continue;
                }
                if (USER_ID_KEYS.contains(lower) || (isKey && attributePending && ATTRIBUTE_VALUE_FIELDS.contains(lower))) {
                    int value = next < n && raw[next] == ':' ? skipWhitespace(raw, next + 1) : next;
                    if (value < n && raw[value] != ',' && raw[value] != '}' && raw[value] != ']' && (isKey || raw[value] == '"')) {
                        out.write(raw, i, value - i);
                        attributePending = false;
                        if (raw[value] == '{' || raw[value] == '[') {
                            out.write(raw[value]);
                            scrubDepth++;
                            i = value + 1;
                        } else {
                            i = scrubValue(raw, value, out, ids);
                        }
                        continue;
                    }
                    if (value >= n && isKey) { // the record ends right after the key
                        out.write(raw, i, n - i);
                        break;
                    }
                    // "key":"enduser.id" in OTLP/JSON: the value comes in a later stringValue/intValue field.
                    attributePending = !isKey;
                } else if (isKey && lower.equals("key")) {
                    attributePending = false;
                } else if (!isKey && BAGGAGE_ENTRY.matcher(text).find()) {
                    writeJsonString(out, scrubBaggage(text, ids), endsWithUnescapedQuote(raw, i, end));
                    i = end;
                    continue;
                }
                out.write(raw, i, end - i);
                i = end;
            } else if (scrubDepth > 0) {
                if (b == '{' || b == '[') {
                    scrubDepth++;
                } else if (b == '}' || b == ']') {
                    scrubDepth--;
                } else if (!isDelimiter(b)) {
                    i = scrubValue(raw, i, out, ids);
                    continue;
                }
                out.write(b);
                i++;
            } else {
                out.write(b);
                i++;
            }
        }
        byte[] scrubbed = out.toByteArray();
        // Baggage outside any JSON string (text that is not JSON at all); entries already rewritten hold unit keys.
        maskBaggageInPlace(scrubbed, ids, true);
        return new Result(scrubbed, ids);
    }

    /**
     * Masks, length-preserving, the value of every protobuf attribute whose key is {@code user.id} or
     * {@code enduser.id} ({@code KeyValue{key, AnyValue{string_value | int_value}}}), and baggage entries in any
     * text. Where such a key is found but its value's framing is not the one OTLP writes, nothing can be masked
     * reliably and the bytes are dropped: {@link Result#bytes()} is null.
     */
    public Result proto(byte[] raw) {
        Set<String> ids = new LinkedHashSet<>();
        byte[] out = raw.clone();
        int from = 0;
        int at;
        while ((at = indexOf(out, PROTO_KEY, from)) >= 0) {
            from = at + PROTO_KEY.length;
            int keyStart = at;
            if (at >= 3 && out[at - 3] == 'e' && out[at - 2] == 'n' && out[at - 1] == 'd') keyStart = at - 3;
            int keyLength = from - keyStart;
            // KeyValue.key is field 1 (tag 0x0a) with a one-byte length equal to the key's.
            boolean framed = keyStart >= 2 && out[keyStart - 2] == 0x0a && out[keyStart - 1] == keyLength;
            if (!framed) {
                if (isTextContext(out, keyStart, from)) continue; // e.g. "user.id=" inside a string: the baggage pass below
                return new Result(null, ids);
            }
            int p = from;
            if (p >= out.length) break; // cut right after the key: no value bytes left
            if (out[p] != 0x12) return new Result(null, ids); // KeyValue.value, field 2, LEN
            long[] anyLength = varint(out, p + 1);
            if (anyLength == null) break;
            p = (int) anyLength[1];
            if (p >= out.length) break;
            if (anyLength[0] == 0) { // an empty AnyValue: no value to mask
                from = p;
                continue;
            }
            if (out[p] == 0x0a) { // AnyValue.string_value
                long[] len = varint(out, p + 1);
                if (len == null) break;
                int start = (int) len[1];
                int end = (int) Math.min(out.length, start + len[0]);
                String id = new String(out, start, end - start, StandardCharsets.UTF_8);
                ids.add(id);
                maskInPlace(out, start, end, unitKeys.unitKey(id));
                from = end;
            } else if (out[p] == 0x18) { // AnyValue.int_value: a varint, set to 0 keeping its length
                int start = p + 1;
                long[] v = varint(out, start);
                int end = v == null ? out.length : (int) v[1];
                if (v != null) ids.add(Long.toString(v[0]));
                for (int k = start; k < end; k++) out[k] = (byte) (k == end - 1 && v != null ? 0x00 : 0x80);
                from = end;
            } else {
                return new Result(null, ids);
            }
        }
        maskBaggageInPlace(out, ids, false);
        return new Result(out, ids);
    }

    private int scrubValue(byte[] raw, int start, ByteArrayOutputStream out, Set<String> ids) {
        int n = raw.length;
        if (raw[start] == '"') {
            int end = endOfString(raw, start);
            writeScrubbed(out, decodeString(raw, start + 1, end), ids);
            return end;
        }
        int end = start;
        while (end < n && !isDelimiter(raw[end])) end++;
        String token = new String(raw, start, end - start, StandardCharsets.UTF_8);
        if (token.equals("true") || token.equals("false") || token.equals("null")) {
            out.write(raw, start, end - start);
        } else {
            writeScrubbed(out, token, ids);
        }
        return end;
    }

    private void writeScrubbed(ByteArrayOutputStream out, String id, Set<String> ids) {
        if (id.isEmpty()) {
            out.writeBytes("\"\"".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        ids.add(id);
        out.writeBytes(('"' + unitKeys.unitKey(id) + '"').getBytes(StandardCharsets.US_ASCII));
    }

    private String scrubBaggage(String text, Set<String> ids) {
        Matcher m = BAGGAGE_ENTRY.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String id = percentDecode(m.group(3).trim());
            String replacement = m.group(3);
            if (!id.isEmpty()) {
                ids.add(id);
                ids.add(m.group(3));
                replacement = unitKeys.unitKey(id);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + m.group(2) + replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private void maskBaggageInPlace(byte[] out, Set<String> ids, boolean skipUnitKeys) {
        Matcher m = BAGGAGE_ENTRY.matcher(new String(out, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            int start = m.start(3);
            int end = m.end(3);
            if (end == start) continue;
            String value = new String(out, start, end - start, StandardCharsets.UTF_8);
            if (skipUnitKeys && isUnitKey(value)) continue;
            String id = percentDecode(value);
            ids.add(id);
            maskInPlace(out, start, end, unitKeys.unitKey(id));
        }
    }

    private static boolean isUnitKey(String s) {
        if (s.length() != 32) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** Overwrites [start, end) with the unit key's first characters, then '*': joinable by prefix, framing kept. */
    private static void maskInPlace(byte[] out, int start, int end, String unitKey) {
        for (int k = start; k < end; k++) {
            int i = k - start;
            out[k] = (byte) (i < unitKey.length() ? unitKey.charAt(i) : '*');
        }
    }

    private static boolean isTextContext(byte[] b, int keyStart, int keyEnd) {
        int next = keyEnd < b.length ? b[keyEnd] : -1;
        return next == '=' || next == ' ' || next == '"' || next == '\\';
    }

    private static boolean isDelimiter(byte b) {
        return b == ',' || b == '}' || b == ']' || b == '{' || b == '[' || b == ':' || b == '"' || b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /** Index just past the closing quote of the string opening at {@code quote}, or the end when it is cut short. */
    private static int endOfString(byte[] b, int quote) {
        int i = quote + 1;
        while (i < b.length) {
            if (b[i] == '\\') {
                i += 2;
            } else if (b[i] == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return b.length;
    }

    /** Whether the string opening at {@code quote} is closed at {@code end}: one cut short must not gain a quote when rewritten. */
    private static boolean endsWithUnescapedQuote(byte[] b, int quote, int end) {
        if (end - quote < 2 || b[end - 1] != '"') return false;
        int backslashes = 0;
        for (int k = end - 2; k > quote && b[k] == '\\'; k--) backslashes++;
        return backslashes % 2 == 0;
    }

    private static int skipWhitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
        return i;
    }

    /** The text of a JSON string body [start, end) (end past the closing quote if there is one), escapes resolved leniently. */
    static String decodeString(byte[] b, int start, int end) {
        int stop = end;
        if (stop > start && stop <= b.length && b[stop - 1] == '"' && endsWithUnescapedQuote(b, start - 1, stop)) stop--;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(stop - start);
        StringBuilder sb = new StringBuilder();
        int i = start;
        while (i < stop) {
            if (b[i] != '\\') {
                bytes.write(b[i++]);
                continue;
            }
            sb.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            if (i + 1 >= stop) break;
            char c = (char) b[i + 1];
            if (c == 'u' && i + 6 <= stop) {
                try {
                    sb.append((char) Integer.parseInt(new String(b, i + 2, 4, StandardCharsets.US_ASCII), 16));
                } catch (NumberFormatException e) {
                    sb.append('u');
                }
                i += 6;
                continue;
            }
            switch (c) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'u': break; // a \\u cut short: nothing usable
                default: sb.append(c);
            }
            i += 2;
        }
        sb.append(bytes.toString(StandardCharsets.UTF_8));
        return sb.toString();
    }

    private static void writeJsonString(ByteArrayOutputStream out, String text, boolean closed) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        if (closed) sb.append('"');
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                try {
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the '%'
                }
            }
            b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    /** {value, index after it}, or null when the varint is cut short or too long. */
    private static long[] varint(byte[] b, int i) {
        long v = 0;
        for (int shift = 0; shift < 64 && i < b.length; shift += 7) {
            byte x = b[i++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return new long[] {v, i};
        }
        return null;
    }
}
