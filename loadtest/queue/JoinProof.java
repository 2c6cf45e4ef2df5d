import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proof-of-work a join costs, for the JDK-only tools here (the source launcher finds this file next to
 * them): fetches the sale's ALTCHA challenge from the gateway and tries 0, 1, 2, ... until SHA-256(salt +
 * number) is the challenge, as the browser widget does; returns the widget's payload (base64 JSON). The
 * tools with test-support on their class path use its AltchaSolver, which does the same.
 */
final class JoinProof {

    private static final Pattern FIELD = Pattern.compile("\"(algorithm|challenge|salt|signature)\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern MAX = Pattern.compile("\"maxnumber\"\\s*:\\s*(\\d+)");

    private JoinProof() {
    }

    static String solve(HttpClient http, String challengeUrl) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(challengeUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("challenge: HTTP " + response.statusCode() + " " + response.body());
        }
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        Matcher field = FIELD.matcher(response.body());
        while (field.find()) {
            fields.put(field.group(1), field.group(2));
        }
        Matcher max = MAX.matcher(response.body());
        long maxNumber = max.find() ? Long.parseLong(max.group(1)) : 1_000_000;
        byte[] target = HexFormat.of().parseHex(fields.get("challenge"));
        byte[] salt = fields.get("salt").getBytes(StandardCharsets.UTF_8);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long start = System.nanoTime();
        for (long n = 0; n <= maxNumber; n++) {
            sha256.update(salt);
            if (MessageDigest.isEqual(sha256.digest(Long.toString(n).getBytes(StandardCharsets.US_ASCII)), target)) {
                String json = "{\"algorithm\":\"SHA-256\",\"challenge\":\"" + fields.get("challenge") + "\",\"number\":" + n
                        + ",\"salt\":\"" + fields.get("salt") + "\",\"signature\":\"" + fields.get("signature") + "\",\"took\":"
                        + (System.nanoTime() - start) / 1_000_000 + "}";
                return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        throw new IllegalStateException("no number up to " + maxNumber + " solves the challenge");
    }
}
