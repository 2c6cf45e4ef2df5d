import io.miaosha.testsupport.AltchaSolver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What the join's proof-of-work costs a scripted client: one thread (one core) solving challenges in the
 * gateway's format with test-support's AltchaSolver (the loop a bot would run), at the default base and
 * ceiling ranges. The hidden number is drawn uniformly below the range, as the gateway draws it, so a
 * join costs range / 2 hashes on average.
 *   java -cp test-support/target/classes loadtest/queue/PowBench.java [seconds per range, default 10]
 */
public class PowBench {

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 10;
        for (long range : new long[] {20_000, 500_000}) {
            long hashes = 0;
            int solved = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            java.util.Random random = new java.util.Random(range);
            while (System.nanoTime() < end) {
                long number = (long) (random.nextDouble() * range);
                String salt = HexFormat.of().formatHex(randomBytes(random)) + "?expires=4102444800&sale=1&";
                String challenge = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest((salt + number).getBytes(StandardCharsets.UTF_8)));
                AltchaSolver.Solution solution = AltchaSolver.solve(
                        new AltchaSolver.Challenge("SHA-256", challenge, range, salt, "unsigned"));
                hashes += solution.hashes();
                solved++;
            }
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf("range %,d: %,d joins solved in %.1f s on one thread: %.1f joins/s per core, %,.0f hashes/s%n",
                    range, solved, took, solved / took, hashes / took);
        }
    }

    private static byte[] randomBytes(java.util.Random random) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return bytes;
    }
}
