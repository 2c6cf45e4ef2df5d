package io.miaosha.functions.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads what GreenMail received for one address, through its REST API. */
public final class Mailbox {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Mailbox() {
    }

    /** Each message's subject and its whole MIME text. */
    public record Received(String subject, String mime) {
    }

    public static List<Received> of(String address) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + GreenMail.API_PORT + "/api/user/" + address + "/messages/")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<Received> messages = new ArrayList<>();
        if (response.statusCode() != 200) {
            return messages;
        }
        for (JsonNode message : JSON.readTree(response.body())) {
            messages.add(new Received(message.path("subject").asText(), message.path("mimeMessage").asText()));
        }
        return messages;
    }
}
