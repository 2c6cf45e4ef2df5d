package io.miaosha.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The draw function against a fixed vector, computed independently (Python's hashlib); the web page's
 * test (web/src/draw/drawFunction.test.ts) checks the same vector, so the browser and the server agree.
 */
class DrawFunctionTest {

    static final String SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @Test
    void theCommitmentIsTheSha256OfTheSeedBytes() {
        assertEquals("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd", DrawFunction.commitment(SEED));
        assertEquals(DrawFunction.commitment(SEED), DrawFunction.commitment(SEED.toUpperCase()));
    }

    @Test
    void theValueIsTheFirst52BitsOfTheSha256OfSeedAndTicketId() {
        assertEquals(3878546801057746L, DrawFunction.bits(SEED, "0123456789abcdef"));
        assertEquals(0.8612103921241111, DrawFunction.value(SEED, "0123456789abcdef"));
        assertEquals(1639197199776401L, DrawFunction.bits(SEED, "fedcba9876543210"));
        assertEquals(0.36397489461856863, DrawFunction.value(SEED, "fedcba9876543210"));
        assertEquals(422389135972939L, DrawFunction.bits(SEED, "a1b2c3d4e5f60718"));
        assertEquals(0.09378922882173675, DrawFunction.value(SEED, "a1b2c3d4e5f60718"));
    }

    @Test
    void theOrderIsByAscendingValue() {
        assertEquals(List.of("a1b2c3d4e5f60718", "fedcba9876543210", "0123456789abcdef"),
                DrawFunction.order(SEED, List.of("0123456789abcdef", "fedcba9876543210", "a1b2c3d4e5f60718")));
    }

    @Test
    void aNewSeedIs32RandomBytesInHex() {
        String seed = DrawFunction.newSeed();
        assertTrue(seed.matches("[0-9a-f]{64}"), seed);
        assertNotEquals(seed, DrawFunction.newSeed());
        double value = DrawFunction.value(seed, "0123456789abcdef");
        assertTrue(value > 0 && value < 1, "in (0, 1): " + value);
    }

    @Test
    void aSeedOfAnotherLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DrawFunction.commitment("0001"));
    }
}
