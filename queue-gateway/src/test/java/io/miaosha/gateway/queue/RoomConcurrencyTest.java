package io.miaosha.gateway.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Sockets enter and leave a room while pusher ticks and events walk it without a lock: every walk
 * sees each socket at most once, never misses one that stays the whole time, and the room ends with
 * exactly the sockets that stayed. (A list relinked in place, as the room kept before, fails this
 * about two runs in three: a walk resting on a socket that leaves and comes back is sent back to the
 * head and sees sockets twice.)
 */
class RoomConcurrencyTest {

    private static final int USERS = 8;
    private static final int CHURNERS = 6;
    private static final int WALKERS = 4;
    private static final int ROUNDS = 200_000;

    @Test
    void walksSeeEverySocketOfOneMomentOnceWhileOthersEnterAndLeave() throws Exception {
        Room room = new Room(1);
        List<Shopper> staying = new ArrayList<>();
        for (long user = 1; user <= USERS; user++) {
            Shopper shopper = joined(user);
            assertTrue(room.tryAdd(shopper, Integer.MAX_VALUE));
            staying.add(shopper);
        }
        ExecutorService pool = Executors.newFixedThreadPool(CHURNERS + WALKERS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean churning = new AtomicBoolean(true);
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        List<Future<?>> churners = new ArrayList<>();
        List<Future<?>> walkers = new ArrayList<>();
        try {
            for (int n = 0; n < CHURNERS; n++) {
                churners.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < ROUNDS; i++) {
                        long user = 1 + random.nextInt(USERS);
                        Shopper a = joined(user);
                        Shopper b = joined(user);
                        Shopper c = joined(user);
                        room.tryAdd(a, Integer.MAX_VALUE);
                        room.tryAdd(b, Integer.MAX_VALUE);
                        room.tryAdd(c, Integer.MAX_VALUE);
                        room.remove(b);
                        // A socket that leaves and comes back (the same object) must not send a walk back.
                        room.tryAdd(b, Integer.MAX_VALUE);
                        room.remove(random.nextBoolean() ? a : c);
                        room.remove(a);
                        room.remove(b);
                        room.remove(c);
                    }
                    return null;
                }));
            }
            for (int w = 0; w < WALKERS; w++) {
                walkers.add(pool.submit(() -> {
                    start.await();
                    while (churning.get()) {
                        long user = 1 + ThreadLocalRandom.current().nextInt(USERS);
                        Map<Shopper, Integer> seen = new IdentityHashMap<>();
                        room.forUser(user, s -> {
                            seen.merge(s, 1, Integer::sum);
                            // A walk that lingers on a socket, as one that sends it a frame does.
                            Thread.yield();
                        });
                        check(seen, List.of(staying.get((int) user - 1)), "user " + user, violations);
                        Map<Shopper, Integer> all = new IdentityHashMap<>();
                        room.forEach(s -> {
                            all.merge(s, 1, Integer::sum);
                            Thread.yield();
                        });
                        check(all, staying, "the room", violations);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> churner : churners) {
                churner.get(2, TimeUnit.MINUTES);
            }
            churning.set(false);
            for (Future<?> walker : walkers) {
                walker.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        assertTrue(violations.isEmpty(), violations.size() + " bad walks, first: " + violations.peek());
        for (long user = 1; user <= USERS; user++) {
            List<Shopper> left = new ArrayList<>();
            room.forUser(user, left::add);
            assertEquals(List.of(staying.get((int) user - 1)), left, "only the socket that stayed is left of user " + user);
        }
        assertEquals(USERS, room.size());
    }

    private static void check(Map<Shopper, Integer> seen, List<Shopper> mustSee, String what, Queue<String> violations) {
        seen.forEach((shopper, times) -> {
            if (times > 1) {
                violations.add("a walk of " + what + " saw a socket " + times + " times");
            }
        });
        for (Shopper shopper : mustSee) {
            if (!seen.containsKey(shopper)) {
                violations.add("a walk of " + what + " missed a socket of user " + shopper.userId + " that never left");
            }
        }
    }

    private static Shopper joined(long userId) {
        Shopper shopper = new Shopper(1, userId, null);
        shopper.counted();
        return shopper;
    }
}
