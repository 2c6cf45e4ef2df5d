package io.miaosha.api.testing.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The OpenAPI document the application under test serves at /q/openapi, read once from the running
 * application: the tests check against what clients get, never against a copy that could drift.
 */
public final class LiveOpenApi {

    private static volatile LiveOpenApi loaded;

    private final String json;
    private final OpenAPI model;
    private final OpenApiInteractionValidator validator;

    private LiveOpenApi(String json) {
        this.json = json;
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        this.model = new OpenAPIV3Parser().readContents(json, null, options).getOpenAPI();
        if (model == null || model.getPaths() == null) {
            throw new IllegalStateException("/q/openapi is not an OpenAPI document: " + json.substring(0, Math.min(200, json.length())));
        }
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(json).build();
    }

    /** The document of the application listening on this base URI and port (loaded on first use). */
    public static LiveOpenApi of(String baseUri, int port) {
        LiveOpenApi current = loaded;
        if (current == null) {
            synchronized (LiveOpenApi.class) {
                if (loaded == null) {
                    loaded = new LiveOpenApi(fetch(URI.create(baseUri + ":" + port + "/q/openapi?format=json")));
                }
                current = loaded;
            }
        }
        return current;
    }

    public String json() {
        return json;
    }

    public OpenAPI model() {
        return model;
    }

    public OpenApiInteractionValidator validator() {
        return validator;
    }

    private static String fetch(URI uri) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("could not read the OpenAPI document at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
