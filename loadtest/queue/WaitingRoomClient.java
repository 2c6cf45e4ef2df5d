import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-file waiting-room client (JDK only): logs in (signing up first if the account does not
 * exist), joins the sale's queue over a WebSocket, prints every message, and with --buy purchases
 * one unit with the admission token the moment it is admitted.
 *
 *   java loadtest/queue/WaitingRoomClient.java alice@example.com longenough 1 --buy
 *
 * Options: --api http://localhost:8080  --ws ws://localhost:8082  --buy  --leave-after <seconds>
 *          --print-token: messages go to stderr; on admission only the admission token is printed to
 *          stdout and the client exits (the shopper stays inside), for buying with curl:
 *          ADMISSION=$(java loadtest/queue/WaitingRoomClient.java demo@test.com demodemo 1 --print-token)
 * Ctrl-C closes the socket without "leave": the ticket is kept for the grace period, so running the
 * command again within 60 s keeps the place.
 */
public class WaitingRoomClient {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: WaitingRoomClient <email> <password> <saleId> [--buy] [--leave-after s] [--api url] [--ws url]");
            System.exit(2);
        }
        String email = args[0], password = args[1], saleId = args[2];
        String api = "http://localhost:8080", ws = "ws://localhost:8082";
        boolean buy = false;
        boolean printToken = false;
        long leaveAfter = -1;
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--buy" -> buy = true;
                case "--print-token" -> printToken = true;
                case "--api" -> api = args[++i];
                case "--ws" -> ws = args[++i];
                case "--leave-after" -> leaveAfter = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        String credentials = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        HttpResponse<String> login = post(http, api + "/api/auth/login", credentials, null, null);
        if (login.statusCode() == 401) {
            post(http, api + "/api/auth/signup", credentials, null, null);
            login = post(http, api + "/api/auth/login", credentials, null, null);
        }
        String session = field(login.body(), "token");
        if (session == null) {
            throw new IllegalStateException("login failed: " + login.statusCode() + " " + login.body());
        }
        CountDownLatch done = new CountDownLatch(1);
        final boolean buyOnAdmission = buy;
        final boolean tokenOnly = printToken;
        final java.io.PrintStream messages = printToken ? System.err : System.out;
        final String apiBase = api;
        WebSocket socket = http.newWebSocketBuilder().subprotocols("miaosha.v1", "bearer." + session)
                .buildAsync(URI.create(ws + "/ws/sales/" + saleId + "/queue?altcha=" + java.net.URLEncoder.encode(
                        JoinProof.solve(http, ws.replaceFirst("^ws", "http") + "/ws/sales/" + saleId + "/challenge"),
                        java.nio.charset.StandardCharsets.UTF_8)), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            String message = text.toString();
                            text.setLength(0);
                            messages.println(message);
                            if (tokenOnly && message.contains("\"type\":\"admitted\"")) {
                                System.out.println(field(message, "token"));
                                System.out.flush();
                                System.exit(0);
                            }
                            if (buyOnAdmission && message.contains("\"type\":\"admitted\"")) {
                                try {
                                    HttpResponse<String> bought = post(http, apiBase + "/api/sales/" + saleId + "/purchase",
                                            "{\"quantity\":1}", session, field(message, "token"));
                                    System.out.println("purchase: " + bought.statusCode() + " " + bought.body());
                                } catch (Exception e) {
                                    System.out.println("purchase failed: " + e);
                                }
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
                        messages.println("closed " + status);
                        done.countDown();
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        messages.println("error: " + error);
                        done.countDown();
                    }
                }).join();
        if (leaveAfter >= 0) {
            Thread.sleep(leaveAfter * 1000);
            socket.sendText("{\"type\":\"leave\"}", true).join();
        }
        done.await();
    }

    static HttpResponse<String> post(HttpClient http, String url, String body, String session, String admission)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Authorization", "Bearer " + session);
        }
        if (admission != null) {
            request.header("Admission-Token", admission);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
