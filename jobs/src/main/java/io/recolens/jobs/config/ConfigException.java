package io.recolens.jobs.config;

/** A configuration problem found at start-up; the message names the key and the fix. */
public class ConfigException extends IllegalArgumentException {
    public ConfigException(String key, String problem, String fix) {
        super("Invalid configuration '" + key + "': " + problem + ". Fix: " + fix);
    }
}
