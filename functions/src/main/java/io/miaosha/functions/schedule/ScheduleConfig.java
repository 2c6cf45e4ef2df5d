package io.miaosha.functions.schedule;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

@ConfigMapping(prefix = "miaosha.schedule")
public interface ScheduleConfig {

    /** "aws" calls the Auto Scaling API; "log" (the local run) only logs. */
    @WithDefault("log")
    String scalingMode();

    /** The Auto Scaling group behind the hot target group. */
    @WithDefault("miaosha-hot")
    String hotGroup();

    /** Hot instances while a sale is open, and between sales. */
    @WithDefault("6")
    int openInstances();

    @WithDefault("1")
    int idleInstances();

    @WithDefault("eu-west-1")
    String region();

    /** Another Auto Scaling endpoint (tests); the SDK's regional endpoint when absent. */
    Optional<URI> autoScalingEndpoint();

    /** The key presented to the API's arming endpoints, given directly (the local run). */
    Optional<String> armingKey();

    /** Or the Secrets Manager secret holding it (AWS); read when {@link #armingKey()} is absent. */
    Optional<String> armingKeySecretArn();

    /** Another Secrets Manager endpoint (tests); the SDK's regional endpoint when absent. */
    Optional<URI> secretsManagerEndpoint();
}
