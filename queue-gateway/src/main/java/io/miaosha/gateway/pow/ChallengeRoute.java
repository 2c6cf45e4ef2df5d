package io.miaosha.gateway.pow;

import io.quarkus.logging.Log;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.altcha.altcha.Altcha;

/**
 * {@code GET /ws/sales/{id}/challenge}: the ALTCHA challenge a browser solves before it opens the
 * sale's waiting-room socket, in the widget's JSON ({@code algorithm, challenge, maxnumber, salt,
 * signature}). Under {@code /ws/} so the edge sends it to the gateway like the socket; never cached.
 * An adapter: the work is {@link Challenges}'. Runs on the event loop.
 */
@ApplicationScoped
public class ChallengeRoute {

    /** A sale id as the API writes it, the socket's rule too. */
    private static final Pattern SALE_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final Challenges challenges;

    public ChallengeRoute(Challenges challenges) {
        this.challenges = challenges;
    }

    void routes(@Observes Router router) {
        router.get("/ws/sales/:saleId/challenge").handler(this::challenge);
    }

    private void challenge(RoutingContext context) {
        String saleId = context.pathParam("saleId");
        if (saleId == null || !SALE_ID.matcher(saleId).matches()) {
            problem(context, 400, "bad-sale-id", "Bad sale id", "The sale id must be a positive whole number, as in /ws/sales/42/challenge.");
            return;
        }
        challenges.issue(Long.parseLong(saleId)).subscribe().with(
                challenge -> context.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(json(challenge).encode()),
                failure -> {
                    Log.warnf("could not issue a challenge for sale %s: %s", saleId, failure.getMessage());
                    problem(context, 503, "unavailable", "Waiting room unavailable",
                            "The waiting room cannot reach its store right now: try again in a few seconds.");
                });
    }

    static JsonObject json(Altcha.Challenge challenge) {
        return new JsonObject()
                .put("algorithm", challenge.algorithm)
                .put("challenge", challenge.challenge)
                .put("maxnumber", challenge.maxnumber)
                .put("salt", challenge.salt)
                .put("signature", challenge.signature);
    }

    private static void problem(RoutingContext context, int status, String slug, String title, String detail) {
        context.response().setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject()
                        .put("type", "https://miaosha.dev/problems/" + slug)
                        .put("title", title)
                        .put("status", status)
                        .put("detail", detail)
                        .encode());
    }
}
