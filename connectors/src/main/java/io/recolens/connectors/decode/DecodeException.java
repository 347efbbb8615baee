package io.recolens.connectors.decode;

/** A validation failure inside a decoder; its message becomes the dead letter's error text. */
final class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    DecodeException(String message) {
        // No stack trace: this is control flow for bad input, which can be frequent, not a bug.
        super(message, null, false, false);
    }
}
