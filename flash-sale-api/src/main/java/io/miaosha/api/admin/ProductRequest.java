package io.miaosha.api.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record ProductRequest(
        @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters") @Pattern(regexp = "[A-Za-z0-9._-]+", message = "may contain letters, digits, '.', '_' and '-' only") String sku,
        @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String name,
        @Size(max = 2000, message = "must be at most 2000 characters") String description,
        // https only: a plain-http picture on the https shop is mixed content the browser blocks or
        // flags. A path ("/img/…") is served by the shop itself; "//host" would be another site.
        @Size(max = 500, message = "must be at most 500 characters")
        @Pattern(regexp = "https://\\S+|/[^/\\s]\\S*", message = "must start with https:// or be a path on this site such as /img/runner.svg")
        String imageUrl) {
}
