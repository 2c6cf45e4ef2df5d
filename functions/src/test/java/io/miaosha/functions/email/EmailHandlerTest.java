package io.miaosha.functions.email;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.miaosha.common.email.ConfirmationEmail;
import io.miaosha.common.email.VerificationEmail;
import io.miaosha.common.order.OrderIds;
import io.miaosha.functions.testing.GreenMail;
import io.miaosha.functions.testing.Mailbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The email Lambda, invoked through Quarkus's mock Lambda event server with an SQS batch, sending to a real SMTP server. */
@QuarkusTest
@QuarkusTestResource(GreenMail.class)
class EmailHandlerTest {

    /** As flash-sale-api's mapper writes jobs: dates as ISO-8601 text. */
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void batchWithOneBadMessageReportsExactlyThatOneAndSendsTheOthers() throws Exception {
        ConfirmationEmail first = email(2, 2499);
        ConfirmationEmail second = email(1, 19900);
        List<Map<String, Object>> records = new ArrayList<>();
        records.add(record("m-1", JSON.writeValueAsString(first)));
        records.add(record("m-2", "{\"orderId\":\"truncated"));
        records.add(record("m-3", JSON.writeValueAsString(second)));

        var response = given().contentType("application/json").accept("application/json")
                .body(Map.of("Records", records)).post().then().statusCode(200).extract().jsonPath();

        assertEquals(List.of("m-2"), response.getList("batchItemFailures.itemIdentifier"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Mailbox.of(first.recipient()).isEmpty()
                && !Mailbox.of(second.recipient()).isEmpty());
        Mailbox.Received mail = Mailbox.of(first.recipient()).get(0);
        assertEquals("Your order " + OrderIds.shortCode(first.orderId()) + " is paid", mail.subject());
        assertTrue(mail.mime().contains(first.orderId()), "names the order");
        assertTrue(mail.mime().contains("49.98 EUR"), "states the total: " + mail.mime());
        assertTrue(mail.mime().contains("24.99 EUR"), "states the unit price");
        assertTrue(mail.mime().contains("text/html") && mail.mime().contains("text/plain"), "HTML and text parts");
        assertTrue(mail.mime().contains("From: orders@miaosha.dev"));
        assertTrue(Mailbox.of(second.recipient()).get(0).mime().contains("199.00 EUR"));
    }

    @Test
    void batchWhoseMessagesAllSucceedReportsNoFailure() throws Exception {
        ConfirmationEmail only = email(1, 500);
        var response = given().contentType("application/json").accept("application/json")
                .body(Map.of("Records", List.of(record("ok-1", JSON.writeValueAsString(only)))))
                .post().then().statusCode(200).extract().jsonPath();
        assertTrue(response.getList("batchItemFailures").isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.of(only.recipient()).size() == 1);
    }

    @Test
    void aSeatedOrderNamesItsSeatsInsteadOfAUnitPrice() throws Exception {
        ConfirmationEmail seated = new ConfirmationEmail(OrderIds.next(), "buyer-" + UUID.randomUUID() + "@test.miaosha.dev",
                "Concert", 2, 4000, 8000, "EUR", "pay_test_" + UUID.randomUUID(),
                List.of("Stalls row A seat 3", "Circle row B seat 1"));
        given().contentType("application/json").accept("application/json")
                .body(Map.of("Records", List.of(record("seated-1", JSON.writeValueAsString(seated)))))
                .post().then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.of(seated.recipient()).size() == 1);
        String mime = Mailbox.of(seated.recipient()).get(0).mime();
        assertTrue(mime.contains("Stalls row A seat 3, Circle row B seat 1"), "names the seats: " + mime);
        assertTrue(mime.contains("80.00 EUR"), "states the total");
        assertTrue(!mime.contains("Unit price"), "an average of two prices is no unit price: " + mime);
    }

    @Test
    void aVerificationJobSendsTheLinkAndItsEndToTheAccountsAddress() throws Exception {
        String token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";
        VerificationEmail job = new VerificationEmail("shopper-" + UUID.randomUUID() + "@test.miaosha.dev",
                "http://localhost:8000/verify-email#token=" + token, Instant.parse("2026-12-03T06:40:00Z"));
        var response = given().contentType("application/json").accept("application/json")
                .body(Map.of("Records", List.of(record("verify-1", JSON.writeValueAsString(job)))))
                .post().then().statusCode(200).extract().jsonPath();
        assertTrue(response.getList("batchItemFailures").isEmpty());

        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.of(job.recipient()).size() == 1);
        Mailbox.Received mail = Mailbox.of(job.recipient()).get(0);
        assertEquals("Confirm your email for Miaosha", mail.subject());
        String body = decodedQuotedPrintable(mail.mime());
        assertTrue(body.contains(job.link()), "carries the whole link: " + body);
        assertTrue(body.contains("3 December 2026, 06:40 UTC"), "says until when the link works: " + body);
        assertTrue(mail.mime().contains("text/html") && mail.mime().contains("text/plain"), "HTML and text parts");
    }

    @Test
    void aJobOfAnUnknownKindIsReportedFailedAndSendsNothing() throws Exception {
        String recipient = "nobody-" + UUID.randomUUID() + "@test.miaosha.dev";
        String job = "{\"kind\":\"newsletter\",\"recipient\":\"" + recipient + "\"}";
        var response = given().contentType("application/json").accept("application/json")
                .body(Map.of("Records", List.of(record("kind-1", job)))).post().then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("kind-1"), response.getList("batchItemFailures.itemIdentifier"));
        assertTrue(Mailbox.of(recipient).isEmpty());
    }

    /** The MIME text with quoted-printable soft line breaks and escapes undone, as a mail reader shows it. */
    static String decodedQuotedPrintable(String mime) {
        return mime.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    }

    private static ConfirmationEmail email(int quantity, long unitPrice) {
        return new ConfirmationEmail(OrderIds.next(), "buyer-" + UUID.randomUUID() + "@test.miaosha.dev",
                "Sneaker drop", quantity, unitPrice, unitPrice * quantity, "EUR", "pay_test_" + UUID.randomUUID(), List.of());
    }

    /** One SQS record as the SQS event source mapping delivers it. */
    private static Map<String, Object> record(String messageId, String body) {
        return Map.of("messageId", messageId, "receiptHandle", "rh-" + messageId, "body", body,
                "attributes", Map.of("ApproximateReceiveCount", "1"), "messageAttributes", Map.of(),
                "eventSource", "aws:sqs", "eventSourceARN", "arn:aws:sqs:eu-west-1:000000000000:miaosha-email",
                "awsRegion", "eu-west-1");
    }
}
