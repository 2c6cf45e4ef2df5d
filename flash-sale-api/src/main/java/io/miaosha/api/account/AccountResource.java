package io.miaosha.api.account;

import io.miaosha.api.edge.ClientAddress;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final JsonWebToken session;
    private final ClientAddress clientAddress;

    public AccountResource(AccountService accounts, JsonWebToken session, ClientAddress clientAddress) {
        this.accounts = accounts;
        this.session = session;
        this.clientAddress = clientAddress;
    }

    public record Credentials(
            @NotNull @Size(max = 254, message = "must be at most 254 characters") String email,
            @NotNull @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String password) {
    }

    @POST
    @Path("/auth/signup")
    @APIResponse(responseCode = "201", description = "Account created; Location is /api/me. An email with the link that confirms the address is on its way", headers = @Header(name = "Location", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Account.AccountView.class)))
    public Uni<Response> signUp(@Valid @NotNull Credentials body) {
        return accounts.register(EmailAddress.normalise(body.email()), body.password())
                .map(account -> Response.created(URI.create("/api/me")).entity(account.view()).build());
    }

    @POST
    @Path("/auth/login")
    public Uni<SessionTokens.Session> logIn(@Valid @NotNull Credentials body, @Context HttpServerRequest request) {
        return accounts.logIn(EmailAddress.normalise(body.email()), body.password(), clientAddress.of(request));
    }

    /** Ends this session token on every instance (204); the token is refused from then on. No body. */
    @POST
    @Path("/auth/logout")
    @APIResponse(responseCode = "204", description = "Session ended")
    @Consumes(MediaType.WILDCARD)
    @Authenticated
    public Uni<Response> logOut() {
        return accounts.logOut(session).map(done -> Response.noContent().build());
    }

    @GET
    @Path("/me")
    @Authenticated
    public Uni<Account.AccountView> me() {
        return accounts.find(Long.parseLong(session.getSubject())).map(Account::view);
    }
}
