package io.miaosha.api.account;

import io.miaosha.common.session.SessionKeys;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Confirming an account's email address. The link's page posts its token here; no session is needed
 * (the link may be opened on another device), but a caller logged in as the link's account gets a
 * fresh session back, one whose token says the email is confirmed.
 */
@Path("/api/account/verify-email")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EmailVerificationResource {

    private final EmailVerificationService verification;
    private final JsonWebToken session;
    private final CurrentIdentityAssociation identities;

    public EmailVerificationResource(EmailVerificationService verification, JsonWebToken session,
            CurrentIdentityAssociation identities) {
        this.verification = verification;
        this.session = session;
        this.identities = identities;
    }

    /** The token of the link's fragment (#token=...). */
    public record VerificationRequest(
            @NotNull(message = "is required: the token from the link in the email")
            @Size(max = 100, message = "must be at most 100 characters") String token) {
    }

    @POST
    @APIResponse(responseCode = "200", description = "The address is confirmed; session is a fresh one when the caller was"
            + " logged in as this account, else null",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EmailVerificationService.Confirmed.class)))
    public Uni<EmailVerificationService.Confirmed> verify(@Valid @NotNull VerificationRequest body) {
        // Authentication is lazy and this operation takes anonymous callers: the session, if any, is
        // resolved without blocking the event loop. A token that is sent but not valid is refused (401).
        return identities.getDeferredIdentity().chain(identity -> verification.confirm(body.token(),
                identity.getPrincipal() instanceof JsonWebToken caller ? Math.max(0, SessionKeys.userIdOf(caller.getSubject())) : 0));
    }

    public record Resent(Instant expiresAt) {
    }

    /** Sends a new link (each earlier one keeps working until it expires). No body. */
    @POST
    @Path("/resend")
    @Authenticated
    @Consumes(MediaType.WILDCARD)
    @APIResponse(responseCode = "202", description = "A new link is on its way; it works until expiresAt",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Resent.class)))
    public Uni<Response> resend() {
        return verification.resend(Long.parseLong(session.getSubject()))
                .map(expiresAt -> Response.accepted(new Resent(expiresAt)).build());
    }
}
