package io.recolens.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.recolens.jobs.config.RecolensOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;

/** Reads the job arguments of a rendered FlinkDeployment and tells which keys the job knows. */
final class JobArgs {
    private JobArgs() {}

    /** "--key value" pairs in order; fails on anything else, as the job's ConfigReader would. */
    static Map<String, String> of(JsonNode flinkDeployment) {
        JsonNode args = flinkDeployment.path("spec").path("job").path("args");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i).asText();
            if (!flag.startsWith("--") || i + 1 >= args.size() || args.get(i + 1).asText().startsWith("--")) {
                throw new AssertionError("job args are not --key value pairs at " + i + ": " + args);
            }
            if (out.put(flag.substring(2), args.get(i + 1).asText()) != null) {
                throw new AssertionError("job arg " + flag + " given twice: " + args);
            }
        }
        return out;
    }

    static boolean jobKnows(String key) {
        if (key.equals("config") || key.startsWith(RecolensOptions.CATALOG_PREFIX)
                || key.startsWith(RecolensOptions.KAFKA_PROPERTIES_PREFIX)) {
            return true;
        }
        return RecolensOptions.ALL.stream().map(ConfigOption::key).anyMatch(key::equals);
    }
}
