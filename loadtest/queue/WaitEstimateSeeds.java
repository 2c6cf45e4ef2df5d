import io.miaosha.gateway.queue.*;
import java.util.*;
import java.lang.reflect.*;

/**
 * The wait estimate on a simulated clock over many seeds (issue 16; not a test): the room, the stays and
 * the admission steps of WaitEstimateTest's harness, each pattern run with seeds 1..20, against two
 * alternatives: an estimate told the true mean stay ("known mean", modes 9 and 10: what no estimate
 * from measurements can beat) and one that also reads each occupant's age (mode 3: a slot's residual
 * stay shrinks with its age, from q:windows). Prints the mean over seeds of the median |error|, the
 * bias (signed median, with its range over seeds), the p90 |error| and how often the range held the
 * real wait.
 *
 *   java -Dcap=50 -Dshoppers=1000 -Dmeasured=2 -cp queue-gateway/target/classes:common/target/classes \
 *       loadtest/queue/WaitEstimateSeeds.java 3 9 10
 *
 * -Dmixture=true adds the mixture estimator (an occupant keeps its slot to its window's end with a
 * probability that grows with its age), told the pattern's true parameters, or with -Dmeasure=true
 * the parameters measured as Redis could (BENCHMARKS.md: tried, not kept).
 * -Dmeasured=N counts only frames shown once N x capacity shoppers had left; -Donly=PATTERN runs one
 * (steady, irregular, bursty, waves: every shopper leaves at the next multiple of -Dperiod seconds).
 */
public class WaitEstimateSeeds {
    static final long DAY = 86_400_000;
    interface Stay { double seconds(Random r); }
    static long NOW;
    interface Est { double[] range(long ahead, int free, int capacity, long windowMs, double departed, double slotSec, long[] remainingMs); }

    static Method OF;
    static double ORACLE_M = 4;
    static int MEASURED = Integer.getInteger("measured", 0);
    static double TAU = Double.parseDouble(System.getProperty("tau", "60000"));
    static double[] current(long ahead, int free, int capacity, long windowMs, double departed, double slotSec, long[] rem) {
        try {
            Object w = OF.invoke(null, ahead, (long) free, capacity, windowMs, departed, slotSec, 0L, DAY);
            long min = (long) w.getClass().getMethod("minSeconds").invoke(w);
            long max = (long) w.getClass().getMethod("maxSeconds").invoke(w);
            return new double[] {min, max};
        } catch (Exception e) { throw new RuntimeException(e); }
    }

    /** State-aware: each occupied slot frees after a residual from its age, then turns over every mean stay. */
    static Est stateAware(int mode) {
        return (ahead, free, capacity, windowMs, departed, slotSec, rem) -> {
            long turnovers = Math.max(0, ahead + 1 - free);
            if (turnovers == 0) return new double[] {0, 1};
            double window = windowMs / 1000.0;
            double prior = 0.2;
            double m = mode >= 9 ? ORACLE_M : (prior * window / 2 + slotSec) / (prior + departed);
            double[] r = new double[rem.length];
            for (int i = 0; i < rem.length; i++) {
                double w = rem[i] / 1000.0, age = window - w;
                double R = switch (mode) {
                    case 1 -> m;
                    case 2 -> Math.max(m, age);
                    case 3, 10 -> Math.max(m - age, m / 4);
                    case 9 -> m;
                    default -> Math.max(m, age) ;
                };
                r[i] = Math.min(w, R);
            }
            // smallest t with count(t) >= turnovers
            double lo = 0, hi = Arrays.stream(r).max().orElse(0) + (turnovers / (double) Math.max(1, rem.length) + 2) * m;
            for (int it = 0; it < 50; it++) {
                double t = (lo + hi) / 2; long c = 0;
                for (double ri : r) if (t >= ri) c += 1 + (long) Math.floor((t - ri) / m);
                if (c >= turnovers) hi = t; else lo = t;
            }
            return range(hi, departed, turnovers, capacity, window);
        };
    }

    /** The range around an expected wait, as WaitEstimate draws it (without its admission-step lag). */
    static double[] range(double expected, double departed, long turnovers, int capacity, double window) {
        double evidence = 0.2 + departed;
        double variation = Math.sqrt(1 / evidence + 1.0 / turnovers + 0.01);
        double bound = Math.ceil(turnovers / (double) capacity) * window;
        double high = Math.min(expected * (1 + 1.28 * variation), bound);
        double low = Math.min(expected * Math.max(0, 1 - 1.28 * variation), high);
        return new double[] {Math.floor(low), Math.ceil(high)};
    }

    static double PB = 0, MV = 4, ENDED = 0, ENDED_SEC = 0;
    static boolean MEASURE = Boolean.getBoolean("measure");
    static double BUCKET = Double.parseDouble(System.getProperty("bucket", "1.5"));
    /**
     * Mixture: an occupant is a blocker (frees at its window end) with probability PB, else leaves after an
     * exponential stay of mean MV. The expected pace to come, integrated: active occupants A leave at A / MV, each
     * refilled by a blocker with PB; blockers free at their window ends (the current ones weighted by how likely
     * their age makes them blockers), each refilled by an active one with 1 - PB.
     */
    static Est mixture() {
        return (ahead, free, capacity, windowMs, departed, slotSec, rem) -> {
            long turnovers = Math.max(0, ahead + 1 - free);
            if (turnovers == 0) return new double[] {0, 1};
            double window = windowMs / 1000.0;
            double pb = PB, mv = MV;
            if (MEASURE) {
                double prior = 0.2;
                pb = ENDED / (prior + departed);
                mv = (prior * window / 2 + slotSec) / (prior + departed);
                pb = Math.max(pb, 0.01);
                for (int it = 0; it < 4; it++) {
                    double blocked = ENDED_SEC, blockers = ENDED;
                    for (double w : rem) {
                        double age = window - remainingSeconds(w);
                        double q = blocker(age, pb, mv);
                        blocked += q * age;
                        blockers += q;
                    }
                    mv = Math.max(0.5, (prior * window / 2 + slotSec - blocked) / (prior + departed - ENDED));
                    // Blockers among admissions: those whose windows ended and those likely inside now.
                    pb = Math.min(0.5, blockers / (prior + departed + rem.length));
                }
            }
            double dt = 0.2;
            int n = (int) Math.ceil(Math.ceil(turnovers / (double) capacity) * window / dt) + 2;
            double[] ends = new double[n + (int) (window / dt) + 2];
            double active = 0;
            for (double w : rem) {
                double wr = remainingSeconds(w);
                double q = blocker(window - wr, pb, mv);
                active += 1 - q;
                ends[Math.min(ends.length - 1, (int) Math.round(wr / dt))] += q;
            }
            double done = 0, expected = n * dt;
            for (int k = 0; k < n; k++) {
                double leaving = active * dt / mv, ending = ends[k];
                double d = leaving + ending;
                done += d;
                if (done >= turnovers) { expected = (k + 1) * dt; break; }
                // refills: a blocker admitted now ends one window later
                ends[Math.min(ends.length - 1, k + (int) Math.round(window / dt))] += d * pb;
                active += -leaving + d * (1 - pb);
            }
            return range(expected, departed, turnovers, capacity, window);
        };
    }

    /** Seconds left in an occupant's window, in the age buckets a measured estimate would read (or exact). */
    static double remainingSeconds(double remainingMs) {
        return MEASURE ? Math.ceil(remainingMs / 1000.0 / BUCKET) * BUCKET : remainingMs / 1000.0;
    }

    /** How likely an occupant still inside at this age is a blocker, with blockers pb and mean voluntary stay mv. */
    static double blocker(double age, double pb, double mv) {
        return pb == 0 ? 0 : pb / (pb + (1 - pb) * Math.exp(-age / mv));
    }

    static double[] run(int capacity, long windowMs, int shoppers, Stay stay, long seed, Est est) {
        Random random = new Random(seed);
        long[] admittedAt = new long[shoppers];
        Arrays.fill(admittedAt, -1);
        List<double[]> frames = new ArrayList<>();
        PriorityQueue<long[]> inside = new PriorityQueue<>(Comparator.comparingLong(a -> a[0])); // leaveAt, windowEnd
        double departed = 0, slotMs = 0;
        int occupied = 0, front = 0;
        long[] lastAhead = new long[shoppers];
        Arrays.fill(lastAhead, -1);
        long departedInAll = 0;
        ENDED = 0; ENDED_SEC = 0;
        for (long now = 0; front < shoppers; now += 200) {
            int endedNow = 0;
            while (!inside.isEmpty() && inside.peek()[0] <= now) { long[] o = inside.poll(); if (o[0] >= o[1]) endedNow++; }
            int occupiedNow = inside.size();
            if (now > 0) {
                double keep = Math.exp(-200 / TAU);
                ENDED = ENDED * keep + endedNow;
                ENDED_SEC = ENDED_SEC * keep + endedNow * windowMs / 1000.0;
                departed = departed * keep + Math.max(0, occupied - occupiedNow);
                if (departed > 0) slotMs = slotMs * keep + occupied * 200.0;
                departedInAll += Math.max(0, occupied - occupiedNow);
            }
            NOW = now;
            while (inside.size() < capacity && front < shoppers) {
                admittedAt[front++] = now;
                inside.add(new long[] {now + Math.min(windowMs, Math.round(stay.seconds(random) * 1000)), now + windowMs});
            }
            occupied = inside.size();
            if (now % 1000 == 600) {
                long[] rem = new long[inside.size()]; int k = 0;
                for (long[] o : inside) rem[k++] = o[1] - now;
                for (int s = front; s < shoppers; s++) {
                    long ahead = s - front;
                    if (ahead == lastAhead[s]) continue;
                    lastAhead[s] = ahead;
                    double[] w = est.range(ahead, capacity - occupied, capacity, windowMs, departed, slotMs / 1000, rem);
                    if (departedInAll >= MEASURED * capacity) frames.add(new double[] {s, now, w[0], w[1]});
                }
            }
        }
        double[] err = new double[frames.size()]; int in = 0;
        for (int i = 0; i < frames.size(); i++) {
            double[] f = frames.get(i);
            double real = Math.max(0.2, (admittedAt[(int) f[0]] - f[1]) / 1000.0);
            err[i] = ((f[2] + f[3]) / 2 - real) / real;
            if (f[2] <= real + 0.5 && real <= f[3] + 0.5) in++;
        }
        double[] abs = Arrays.stream(err).map(Math::abs).sorted().toArray();
        double[] sig = Arrays.stream(err).sorted().toArray();
        return new double[] {abs[abs.length / 2], sig[sig.length / 2], abs[(int) (abs.length * 0.9)], (double) in / err.length};
    }

    public static void main(String[] args) throws Exception {
        OF = WaitEstimate.class.getDeclaredMethod("of", long.class, long.class, int.class, long.class, double.class, double.class, long.class, long.class);
        OF.setAccessible(true);
        Map<String, Stay> patterns = new LinkedHashMap<>();
        patterns.put("steady", r -> 2 + 4 * r.nextDouble());
        patterns.put("irregular", r -> -Math.log(1 - r.nextDouble()) * 4);
        patterns.put("bursty", r -> r.nextDouble() < 0.05 ? 1e9 : -Math.log(1 - r.nextDouble()) * 4);
        double period = Double.parseDouble(System.getProperty("period", "5"));
        patterns.put("waves", r -> { double at = NOW / 1000.0 + 1 + 4 * r.nextDouble(); return Math.ceil(at / period) * period - NOW / 1000.0; });
        Map<String, Est> ests = new LinkedHashMap<>();
        ests.put("current", WaitEstimateSeeds::current);
        for (String a : args) ests.put("state" + a, stateAware(Integer.parseInt(a)));
        if (Boolean.getBoolean("mixture")) ests.put("mixture", mixture());
        int seeds = 20;
        for (var p : patterns.entrySet()) for (var e : ests.entrySet()) {
            if (System.getProperty("only") != null && !p.getKey().equals(System.getProperty("only"))) continue;
            ORACLE_M = p.getKey().equals("bursty") ? 0.95 * 4 + 0.05 * 30 : 4;
            PB = p.getKey().equals("bursty") ? 0.05 : 0;
            double[] sum = new double[4]; double[] worst = new double[4];
            List<Double> biases = new ArrayList<>();
            for (int s = 1; s <= seeds; s++) {
                double[] a = run(Integer.getInteger("cap", 10), 30_000, Integer.getInteger("shoppers", 300), p.getValue(), s, e.getValue());
                for (int i = 0; i < 4; i++) sum[i] += a[i];
                biases.add(a[1]);
                worst[0] = Math.max(worst[0], a[0]); worst[2] = Math.max(worst[2], a[2]);
            }
            Collections.sort(biases);
            System.out.printf("%-9s %-8s median|e| %.3f (worst %.3f) bias %+.3f [%+.3f..%+.3f] p90 %.3f (worst %.3f) inRange %.2f%n",
                    p.getKey(), e.getKey(), sum[0] / seeds, worst[0], sum[1] / seeds, biases.get(0), biases.get(seeds - 1), sum[2] / seeds, worst[2], sum[3] / seeds);
        }
    }
}
