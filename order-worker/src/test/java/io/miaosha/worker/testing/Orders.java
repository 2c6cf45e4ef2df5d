package io.miaosha.worker.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.miaosha.common.order.OrderIds;
import io.miaosha.common.order.OrderPlaced;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;

/** OrderPlaced messages as the relay sends them, for sales that exist only in the test. */
public final class Orders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Orders() {
    }

    /** A sale id no other test uses: orders need no sale row, and the id isolates what a test counts. */
    public static long unusedSaleId() {
        return 9_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
    }

    public static OrderPlaced placed(long saleId, long userId, int quantity) {
        long now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
        return new OrderPlaced(OrderIds.next(), saleId, userId, quantity, 1999, "EUR", now, now + 900_000, null, null);
    }

    public static String json(OrderPlaced order) {
        try {
            return JSON.writeValueAsString(order);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
