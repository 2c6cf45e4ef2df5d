package io.miaosha.api.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the admin dashboard charts about one sale's waiting room. */
@RegisterForReflection
public record QueueView(long saleId, long queueLength, long inside, int capacity, double admittedPerMinute,
        long oldestWaitSeconds) {
}
