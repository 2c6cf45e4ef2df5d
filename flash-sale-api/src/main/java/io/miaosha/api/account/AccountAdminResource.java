package io.miaosha.api.account;

import io.miaosha.api.problem.Problems;
import io.miaosha.common.session.SessionKeys;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Admins change a user's role or remove the account; either ends that user's sessions on every instance. */
@Path("/api/admin/users/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN)
public class AccountAdminResource {

    private final AccountService accounts;

    public AccountAdminResource(AccountService accounts) {
        this.accounts = accounts;
    }

    public record RoleChange(
            @NotNull @Pattern(regexp = Role.SHOPPER + "|" + Role.ADMIN, message = "must be shopper or admin") String role) {
    }

    @PUT
    @Path("/role")
    public Uni<Account.AccountView> changeRole(@PathParam("id") String id, @Valid @NotNull RoleChange body) {
        return accounts.changeRole(userId(id), body.role()).map(Account::view);
    }

    @DELETE
    @APIResponse(responseCode = "204", description = "Account removed; its sessions end on every instance")
    public Uni<Response> remove(@PathParam("id") String id) {
        return accounts.remove(userId(id)).map(done -> Response.noContent().build());
    }

    private static long userId(String id) {
        long userId = SessionKeys.userIdOf(id);
        if (userId <= 0) {
            throw new Problems.InvalidRequest("The user id in the path must be a positive whole number written plainly (like 42).");
        }
        return userId;
    }
}
