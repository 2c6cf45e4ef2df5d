package io.miaosha.api.account;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final JsonWebToken session;

    public AccountResource(AccountService accounts, JsonWebToken session) {
        this.accounts = accounts;
        this.session = session;
    }

    public record Credentials(
            @NotNull @Size(max = 254) String email,
            @NotNull @Size(min = 8, max = 72, message = "must be 8 to 72 characters") String password) {
    }

    @POST
    @Path("/auth/signup")
    public Uni<Response> signUp(@Valid @NotNull Credentials body) {
        return accounts.signUp(EmailAddress.normalise(body.email()), body.password(), Role.SHOPPER)
                .map(account -> Response.created(URI.create("/api/me")).entity(account.view()).build());
    }

    @POST
    @Path("/auth/login")
    public Uni<SessionTokens.Session> logIn(@Valid @NotNull Credentials body) {
        return accounts.logIn(EmailAddress.normalise(body.email()), body.password());
    }

    @GET
    @Path("/me")
    @Authenticated
    public Uni<Account.AccountView> me() {
        return accounts.find(Long.parseLong(session.getSubject())).map(Account::view);
    }
}
