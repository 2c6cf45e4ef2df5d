package io.miaosha.gateway.pow;

/**
 * How much work a join costs as a function of how fast shoppers join the sale: the challenge's number
 * range (ALTCHA's maxnumber; the solver tries half of it on average) doubles with every
 * {@code doublingRate} joins per second, from {@code base} for a quiet sale up to {@code ceiling}.
 * With the defaults (50,000, doubling every 25 joins/s, ceiling 1,000,000): 0 joins/s → 50,000,
 * 25 → 100,000, 50 → 200,000, 100 → 800,000, 109 and more → 1,000,000. A crowd of honest browsers
 * pays a second or two more when a farm floods the sale; a farm pays that on every join.
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
