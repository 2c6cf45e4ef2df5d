import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Publishes one persistent message straight to a queue (the default exchange), with a publisher
 * confirm: how the chaos suite puts a poison message where a worker will consume it (JDK source
 * launcher, the AMQP client jar on the class path).
 *
 * <pre>java -cp amqp-client.jar:slf4j-api.jar AmqpPublish.java HOST:PORT[,HOST:PORT...] VHOST USER PASSWORD QUEUE MESSAGE_ID BODY</pre>
 */
public class AmqpPublish {

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: HOST:PORT[,...] VHOST USER PASSWORD QUEUE MESSAGE_ID BODY");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setVirtualHost(args[1]);
        factory.setUsername(args[2]);
        factory.setPassword(args[3]);
        Address[] addresses = Arrays.stream(args[0].split(",")).map(Address::parseAddress).toArray(Address[]::new);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .messageId(args[5]).contentType("application/json").deliveryMode(2).build();
        try (Connection connection = factory.newConnection(addresses); Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish("", args[4], true, props, args[6].getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(15_000);
        }
        System.out.println("published " + args[5] + " to " + args[4] + " (confirmed)");
    }
}
