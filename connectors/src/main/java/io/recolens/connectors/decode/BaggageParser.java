package io.recolens.connectors.decode;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a W3C Baggage header as untrusted input and keeps only allow-listed keys.
 *
 * <p>Syntax: comma-separated list-members {@code key=value;property...}; whitespace around keys,
 * values and separators is ignored, properties are dropped, values are percent-decoded as UTF-8.
 * A member that is malformed (no {@code =}, empty key, bad percent-escape or UTF-8) is skipped:
 * it could not have carried an allowed value anyway.
 *
 * <p>Limits, as W3C Baggage asks of a receiver: only the first {@link DecoderSettings#baggageMaxBytes()}
 * bytes (8,192) and the first {@link DecoderSettings#baggageMaxMembers()} list-members (64) are read; a member
 * over the per-member size or an allowed value over the per-value length is skipped. Nothing past a limit
 * rejects the record: it is ignored and reported in {@link Parsed#ignored()}, which the decoder turns into a
 * {@code record_trimmed} anomaly. The cost of a header is bounded by the byte limit, whatever its size.
 */
public final class BaggageParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DecoderSettings settings;

    /** The allow-listed entries read, and what was ignored past a limit (null when nothing). */
    public record Parsed(Map<String, String> allowed, String ignored) {}

    public BaggageParser(DecoderSettings settings) {
        this.settings = settings;
    }

    /** Returns the allow-listed entries (key to decoded value) in header order; the last one wins for a repeated key. */
    public Map<String, String> parseAllowed(String header) {
        return parse(header).allowed();
    }

    /** Parses within the limits and says what it ignored. */
    public Parsed parse(String header) {
        Map<String, String> allowed = new LinkedHashMap<>();
        if (header == null || header.isEmpty()) return new Parsed(allowed, null);
        StringBuilder ignored = new StringBuilder();
        String readable = header;
        int totalBytes = utf8Length(header, settings.baggageMaxBytes() + 1);
        if (totalBytes > settings.baggageMaxBytes()) {
            readable = prefixOfUtf8Bytes(header, settings.baggageMaxBytes());
            // A member cut by the byte limit is incomplete: drop it rather than read half a value.
            int lastComma = readable.lastIndexOf(',');
            readable = lastComma < 0 ? "" : readable.substring(0, lastComma);
            note(ignored, "baggage: bytes past " + settings.baggageMaxBytes() + " ignored");
        }
        int members = 0;
        int skippedMembers = 0;
        int oversized = 0;
        int start = 0;
        int len = readable.length();
        while (start < len) {
            int comma = readable.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            String member = readable.substring(start, end).trim();
            if (!member.isEmpty()) {
                members++;
                if (members > settings.baggageMaxMembers()) {
                    skippedMembers++;
                } else if (utf8Length(member, settings.baggageMaxMemberBytes() + 1) > settings.baggageMaxMemberBytes()
                        || !readMember(member, allowed)) {
                    oversized++;
                }
            }
            if (comma < 0) break;
            start = comma + 1;
        }
        if (skippedMembers > 0) {
            note(ignored, "baggage: " + skippedMembers + " list-members past " + settings.baggageMaxMembers() + " ignored");
        }
        if (oversized > 0) {
            note(ignored, "baggage: " + oversized + " list-members over the size limits ignored");
        }
        return new Parsed(allowed, ignored.length() == 0 ? null : ignored.toString());
    }

    private static void note(StringBuilder notes, String what) {
        if (notes.length() > 0) notes.append("; ");
        notes.append(what);
    }

    /** Reads one member into {@code allowed}; false only when an allowed value is over the length limit. */
    private boolean readMember(String member, Map<String, String> allowed) {
        int semicolon = member.indexOf(';');
        String keyValue = semicolon < 0 ? member : member.substring(0, semicolon);
        int eq = keyValue.indexOf('=');
        if (eq <= 0) return true;
        String key = keyValue.substring(0, eq).trim();
        if (key.isEmpty() || !isToken(key) || !settings.isBaggageKeyAllowed(key)) return true;
        String value = percentDecode(keyValue.substring(eq + 1).trim());
        if (value == null) return true;
        if (value.length() > settings.baggageMaxValueChars()) return false;
        allowed.put(key, value);
        return true;
    }

    /** RFC 7230 token characters, which is what W3C Baggage allows in keys. */
    private static boolean isToken(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** Null when the value has a broken escape or is not UTF-8 after decoding. */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) return null;
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                bytes.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** UTF-8 length of s, counting no further than {@code stopAt} (so a huge header costs no more than the limit). */
    private static int utf8Length(String s, int stopAt) {
        int n = 0;
        for (int i = 0; i < s.length() && n < stopAt; i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** The longest prefix of s whose UTF-8 encoding fits in maxBytes. */
    private static String prefixOfUtf8Bytes(String s, int maxBytes) {
        int n = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int w = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isHighSurrogate(c) ? 4 : 3;
            if (n + w > maxBytes) break;
            n += w;
            i += Character.isHighSurrogate(c) ? 2 : 1;
        }
        return s.substring(0, Math.min(i, s.length()));
    }
}
