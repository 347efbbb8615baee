package io.recolens.jobs.config;

/** A configuration problem found at start-up; the message names the key and the fix. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String key, String problem, String fix) {
        super("Invalid configuration '" + key + "': " + problem + ". Fix: " + fix);
    }

    /** Wraps a parse failure whose message already names the key (Flink's own option parsing). */
    public ConfigException(String parseFailure, Throwable cause) {
        super("Invalid configuration: " + parseFailure + ". Fix: use the value format in the configuration reference (README.md)", cause);
    }
}
