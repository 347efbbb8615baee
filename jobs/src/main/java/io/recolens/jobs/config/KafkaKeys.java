package io.recolens.jobs.config;

import io.recolens.connectors.config.ClosestKey;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Checks the keys under kafka.properties.* against what the Kafka consumer and Flink's Kafka source read. */
final class KafkaKeys {
    private KafkaKeys() {}

    /** Consumer keys the job sets from its own typed options; a second way to set them would be ambiguous. */
    private static final Map<String, String> OWNED = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "set " + RecolensOptions.KAFKA_BOOTSTRAP.key() + " instead",
            ConsumerConfig.GROUP_ID_CONFIG, "set " + RecolensOptions.KAFKA_GROUP_ID.key() + " instead",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the job reads raw bytes and decodes them itself; remove it",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the job reads raw bytes and decodes them itself; remove it");

    static final Set<String> KNOWN = known();

    /** @param properties the keys after kafka.properties. */
    static void check(Map<String, String> properties) {
        String prefix = RecolensOptions.KAFKA_PROPERTIES_PREFIX;
        for (String key : new TreeSet<>(properties.keySet())) {
            if (OWNED.containsKey(key)) {
                throw new ConfigException(prefix + key, "is set by the job", OWNED.get(key));
            }
            if (!KNOWN.contains(key)) {
                throw new ConfigException(prefix + key, "not a Kafka consumer or Flink Kafka source property",
                        "did you mean " + prefix + ClosestKey.closest(key, KNOWN).orElse("security.protocol")
                                + "? (names: Kafka's consumer configs and Flink's KafkaSourceOptions)");
            }
        }
    }

    private static Set<String> known() {
        Set<String> keys = new TreeSet<>(ConsumerConfig.configNames());
        for (Field f : KafkaSourceOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    keys.add(((ConfigOption<?>) f.get(null)).key());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }
}
