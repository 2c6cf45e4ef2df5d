package io.miaosha.functions.schedule;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.AutoScalingClientBuilder;

/** Chooses the {@link HotCapacity} by {@code miaosha.schedule.scaling-mode}. */
@ApplicationScoped
public class HotCapacityProducer {

    @Produces
    @ApplicationScoped
    HotCapacity hotCapacity(ScheduleConfig config) {
        if (!"aws".equals(config.scalingMode())) {
            return new LoggedHotCapacity();
        }
        AutoScalingClientBuilder builder = AutoScalingClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        config.autoScalingEndpoint().ifPresent(builder::endpointOverride);
        return new AutoScalingHotCapacity(builder.build(), config.hotGroup());
    }
}
