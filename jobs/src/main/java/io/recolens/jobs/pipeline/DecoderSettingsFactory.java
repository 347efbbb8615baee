package io.recolens.jobs.pipeline;

import io.recolens.connectors.decode.DecoderSettings;
import io.recolens.jobs.config.JobSettings;

/** Maps the job's settings onto the decoders' settings. */
public final class DecoderSettingsFactory {
    private DecoderSettingsFactory() {}

    public static DecoderSettings from(JobSettings settings) {
        return DecoderSettings.builder(settings.unitKey)
                .baggageAllowList(settings.baggageAllowList)
                .recordLimits(settings.recordLimits)
                .build();
    }
}
