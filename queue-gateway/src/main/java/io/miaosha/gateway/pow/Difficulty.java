package io.miaosha.gateway.pow;

/**
 * How much work a join costs as a function of how fast shoppers join the sale: the challenge's number
 * range (ALTCHA's maxnumber; the solver tries half of it on average) doubles with every
 * {@code doublingRate} joins per second, from {@code base} for a quiet sale up to {@code ceiling}.
 * With the defaults (20,000, doubling every 25 joins/s, ceiling 500,000): 0 joins/s → 20,000,
 * 25 → 40,000, 50 → 80,000, 100 → 320,000, 117 and more → 500,000. The ceiling is what an honest
 * browser can afford: the widget tried 30,000–47,000 numbers a second on this project's 2-core machine
 * (BENCHMARKS.md), so about 6 s on average at the ceiling and a quarter of a second at the base.
 */
public record Difficulty(long base, long ceiling, double doublingRate) {

    public Difficulty {
        if (base < 1 || ceiling < base || !(doublingRate > 0)) {
            throw new IllegalArgumentException("miaosha.pow: need 1 <= base-max-number <= ceiling-max-number and doubling-rate > 0");
        }
    }

    static Difficulty of(PowConfig config) {
        return new Difficulty(config.baseMaxNumber(), config.ceilingMaxNumber(), config.doublingRate());
    }

    /** The range for a challenge issued while the sale takes {@code joinsPerSecond} joins a second. */
    public long maxNumber(long joinsPerSecond) {
        double range = base * Math.pow(2, Math.max(0, joinsPerSecond) / doublingRate);
        return range >= ceiling ? ceiling : (long) range;
    }
}
