package io.miaosha.api.parking;

/** A message in a parking queue, as an admin reads it before deciding to replay it. */
public record ParkedMessage(
        String queue,
        String replaysTo,
        String messageId,
        String reason,
        int retries,
        String body) {
}
