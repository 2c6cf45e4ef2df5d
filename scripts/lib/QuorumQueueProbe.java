import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The smallest AMQP client the cluster smoke check needs (run with the JDK's source launcher):
 * declares a quorum queue and publishes COUNT persistent messages with publisher confirms through
 * one node, or consumes them, in order, through another.
 *
 * <pre>java -cp amqp-client.jar:slf4j-api.jar QuorumQueueProbe.java publish|consume PORT VHOST USER PASSWORD QUEUE COUNT</pre>
 */
public class QuorumQueueProbe {

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: publish|consume PORT VHOST USER PASSWORD QUEUE COUNT");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(Integer.parseInt(args[1]));
        factory.setVirtualHost(args[2]);
        factory.setUsername(args[3]);
        factory.setPassword(args[4]);
        String queue = args[5];
        int count = Integer.parseInt(args[6]);
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            if (args[0].equals("publish")) {
                channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
                channel.confirmSelect();
                for (int i = 0; i < count; i++) {
                    channel.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                channel.waitForConfirmsOrDie(15_000);
                System.out.println("published " + count + " to " + queue + " (confirmed)");
            } else {
                AMQP.Queue.DeclareOk declared = channel.queueDeclarePassive(queue);
                for (int i = 0; i < count; i++) {
                    GetResponse message = null;
                    for (int attempt = 0; message == null && attempt < 150; attempt++) {
                        message = channel.basicGet(queue, false);
                        if (message == null) {
                            Thread.sleep(100);
                        }
                    }
                    if (message == null) {
                        throw new IllegalStateException("message " + i + " of " + count + " never arrived on " + queue);
                    }
                    String body = new String(message.getBody(), StandardCharsets.UTF_8);
                    if (!body.equals("m" + i)) {
                        throw new IllegalStateException("expected m" + i + " but got " + body + ": order not kept");
                    }
                    channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                }
                System.out.println("consumed " + count + " of " + declared.getMessageCount() + " from " + queue + " in order");
            }
        }
    }
}
