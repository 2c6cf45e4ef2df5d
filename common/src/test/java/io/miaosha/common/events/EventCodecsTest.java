package io.miaosha.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.miaosha.common.order.OrderStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecsTest {

    @Test
    void everyMessageReadsBackWhatItsProducerWrote() {
        SaleEvent sale = new SaleEvent(SaleEvent.Type.SOLD_OUT, 42);
        OrderUpdate order = new OrderUpdate("0190a5b2-0000-7000-8000-000000000001", 7, 42, OrderStatus.PAID);
        QueueEvent admitted = new QueueEvent.Admitted(42, 1_900_000_600_000L, List.of(7L, 8L));
        QueueEvent over = new QueueEvent.WindowsOver(42, List.of(9L));
        QueueEvent limit = new QueueEvent.LimitReached(42, List.of(10L));
        SessionRevoked revoked = new SessionRevoked(7);

        assertEquals(sale, SaleEvent.decode(sale.encode()));
        assertEquals(order, OrderUpdate.decode(order.encode()));
        assertEquals(admitted, QueueEvent.decode(admitted.encode()));
        assertEquals(over, QueueEvent.decode(over.encode()));
        assertEquals(limit, QueueEvent.decode(limit.encode()));
        assertEquals(revoked, SessionRevoked.decode(revoked.encode()));
    }

    @Test
    void theJsonTheLuaScriptsBuildIsReadAsTheSameMessages() {
        // As purchase.lua and queue_admit.lua concatenate them.
        assertEquals(new SaleEvent(SaleEvent.Type.SOLD_OUT, 42), SaleEvent.decode("{\"v\":1,\"type\":\"SOLD_OUT\",\"saleId\":42}"));
        assertEquals(new OrderUpdate("o-1", 123456789012345678L, 42, OrderStatus.PENDING_PAYMENT),
                OrderUpdate.decode("{\"v\":1,\"orderId\":\"o-1\",\"userId\":123456789012345678,\"saleId\":42,"
                        + "\"status\":\"PENDING_PAYMENT\"}"));
        assertEquals(new QueueEvent.Admitted(42, 1_900_000_600_000L, List.of(7L, 123456789012345678L)),
                QueueEvent.decode("{\"v\":1,\"type\":\"admitted\",\"saleId\":42,\"windowEndMs\":1900000600000,"
                        + "\"userIds\":[7,123456789012345678]}"));
        assertEquals(new QueueEvent.WindowsOver(42, List.of(7L)),
                QueueEvent.decode("{\"v\":1,\"type\":\"window_over\",\"saleId\":42,\"userIds\":[7]}"));
        assertEquals(new QueueEvent.LimitReached(42, List.of(7L)),
                QueueEvent.decode("{\"v\":1,\"type\":\"limit_reached\",\"saleId\":42,\"userIds\":[7]}"));
    }

    @Test
    void aMessageOfAnotherVersionOrShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SaleEvent.decode("{\"v\":2,\"type\":\"SOLD_OUT\",\"saleId\":42}"));
        assertThrows(IllegalArgumentException.class, () -> SaleEvent.decode("{\"type\":\"SOLD_OUT\",\"saleId\":42}"));
        assertThrows(IllegalArgumentException.class, () -> SaleEvent.decode("SOLD_OUT:42"));
        assertThrows(IllegalArgumentException.class, () -> OrderUpdate.decode("{\"v\":1,\"orderId\":7}"));
        assertThrows(IllegalArgumentException.class, () -> QueueEvent.decode("A|42|1900000600000|7,8"));
        assertThrows(IllegalArgumentException.class, () -> QueueEvent.decode("{\"v\":1,\"type\":\"other\",\"saleId\":42}"));
    }
}
