package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomTest {

    @Test
    void removingOneSocketOfAUserKeepsItsOtherSockets() {
        Room room = new Room(1);
        Shopper first = joined(7);
        Shopper second = joined(7);
        Shopper third = joined(7);
        for (Shopper s : List.of(first, second, third)) {
            assertTrue(room.tryAdd(s, 3));
        }

        room.remove(second);
        assertEquals(List.of(third, first), sockets(room, 7));
        room.remove(third);
        assertEquals(List.of(first), sockets(room, 7));
        room.remove(first);
        assertTrue(room.isEmpty());
    }

    @Test
    void aSocketThatNeverEnteredChangesNothingWhenRemoved() {
        Room room = new Room(1);
        List<Shopper> in = List.of(joined(7), joined(7), joined(7));
        in.forEach(s -> room.tryAdd(s, 3));
        Shopper refused = joined(7);
        assertFalse(room.tryAdd(refused, 3), "a fourth socket of the user is refused");

        room.remove(refused);

        assertEquals(3, sockets(room, 7).size());
        assertFalse(room.tryAdd(joined(7), 3), "still three: the refused one freed nothing");
    }

    private static Shopper joined(long userId) {
        Shopper shopper = new Shopper(1, userId, null);
        shopper.counted();
        return shopper;
    }

    private static List<Shopper> sockets(Room room, long userId) {
        List<Shopper> found = new ArrayList<>();
        room.forUser(userId, found::add);
        return found;
    }
}
