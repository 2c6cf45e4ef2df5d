package io.miaosha.common.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderIdsTest {

    @Test
    void idsAreVersion7AndValid() {
        String id = OrderIds.next();
        assertEquals(7, UUID.fromString(id).version());
        assertTrue(OrderIds.isValid(id));
    }

    @Test
    void idsSortByCreationTime() {
        String earlier = OrderIds.next(1_700_000_000_000L);
        String later = OrderIds.next(1_700_000_000_001L);
        assertTrue(earlier.compareTo(later) < 0);
    }

    @Test
    void idsDoNotCollide() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertTrue(seen.add(OrderIds.next(1_700_000_000_000L)));
        }
    }

    @Test
    void rejectsForeignStrings() {
        assertFalse(OrderIds.isValid("1"));
        assertFalse(OrderIds.isValid(UUID.randomUUID().toString()));
        assertFalse(OrderIds.isValid(null));
    }

    @Test
    void theShortCodeIsTheLastEightHexDigitsInTwoGroups() {
        assertEquals("2E3F-4A5B", OrderIds.shortCode("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
    }

    @Test
    void ordersOfTheSameMillisecondGetDifferentShortCodes() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            codes.add(OrderIds.shortCode(OrderIds.next(1_700_000_000_000L)));
        }
        assertEquals(20, codes.size());
    }
}
