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
 * it could not have carried an allowed value anyway. A header beyond the limits in
 * {@link DecoderSettings} (total bytes, members, bytes per member, characters per allowed value)
 * is rejected as a whole with {@link IllegalArgumentException}: a sender that breaks the W3C
 * limits is misbehaving, and nothing it sends is trusted.
 */
public final class BaggageParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DecoderSettings settings;

    public BaggageParser(DecoderSettings settings) {
        this.settings = settings;
    }

    /**
     * Returns the allow-listed entries (key to decoded value) in header order; the last one wins
     * for a repeated key.
     *
     * @throws IllegalArgumentException when the header exceeds a size limit
     */
    public Map<String, String> parseAllowed(String header) {
        Map<String, String> allowed = new LinkedHashMap<>();
        if (header == null || header.isEmpty()) return allowed;
        int totalBytes = utf8Length(header);
        if (totalBytes > settings.baggageMaxBytes()) {
            throw new IllegalArgumentException("baggage is " + totalBytes + " bytes, over the limit of "
                    + settings.baggageMaxBytes());
        }
        int members = 0;
        int start = 0;
        int len = header.length();
        while (start <= len) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            String member = header.substring(start, end).trim();
            if (!member.isEmpty()) {
                members++;
                if (members > settings.baggageMaxMembers()) {
                    throw new IllegalArgumentException("baggage has more than " + settings.baggageMaxMembers()
                            + " list-members");
                }
                int memberBytes = utf8Length(member);
                if (memberBytes > settings.baggageMaxMemberBytes()) {
                    throw new IllegalArgumentException("baggage list-member of " + memberBytes
                            + " bytes, over the limit of " + settings.baggageMaxMemberBytes());
                }
                readMember(member, allowed);
            }
            if (comma < 0) break;
            start = comma + 1;
        }
        return allowed;
    }

    private void readMember(String member, Map<String, String> allowed) {
        int semicolon = member.indexOf(';');
        String keyValue = semicolon < 0 ? member : member.substring(0, semicolon);
        int eq = keyValue.indexOf('=');
        if (eq <= 0) return;
        String key = keyValue.substring(0, eq).trim();
        if (key.isEmpty() || !isToken(key) || !settings.isBaggageKeyAllowed(key)) return;
        String value = percentDecode(keyValue.substring(eq + 1).trim());
        if (value == null) return;
        if (value.length() > settings.baggageMaxValueChars()) {
            throw new IllegalArgumentException("baggage value of '" + key + "' is " + value.length()
                    + " characters, over the limit of " + settings.baggageMaxValueChars());
        }
        allowed.put(key, value);
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

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
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
}
