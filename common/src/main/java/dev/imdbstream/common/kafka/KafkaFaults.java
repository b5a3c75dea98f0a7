package dev.imdbstream.common.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Tells a fault of the infrastructure (the broker unreachable, restarting, or not answering in time), which is
 * retried, from a fault of the work itself (bad data, a record too large, no authorization), which is reported; and
 * says in one line why the broker refused a client that is not allowed in.
 */
public final class KafkaFaults {

    private KafkaFaults() {
    }

    /**
     * Whether {@code t}, or an exception it was caused by, is one the Kafka client marks retriable (timeouts,
     * disconnections, leader elections, a coordinator not available), or a wait for the broker that timed out.
     */
    public static boolean isTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RetriableException || c instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Whether the broker refused the client: it could not authenticate it, or its user lacks an ACL. */
    public static boolean isRefusal(Throwable t) {
        return refusal(t) != null;
    }

    /**
     * Why the broker refused the client, naming what to check, or {@code t}'s own message for any other fault. The
     * broker's answers to a client it does not let in are deliberately terse; this adds which setting or ACL is the
     * likely cause.
     */
    public static String explain(Throwable t) {
        String refusal = refusal(t);
        return refusal != null ? refusal : String.valueOf(t.getMessage());
    }

    private static String refusal(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SaslAuthenticationException) {
                return "Kafka refused the credentials (" + c.getMessage() + "): check " + KafkaSecurity.SASL_USERNAME
                        + " and " + KafkaSecurity.SASL_PASSWORD + " (or " + KafkaSecurity.SASL_JAAS_CONFIG + ")";
            }
            if (c instanceof SslAuthenticationException) {
                return "the TLS handshake with Kafka failed (" + c.getMessage() + "): check "
                        + KafkaSecurity.TRUSTSTORE_LOCATION + " (the CA of the broker's certificate) and, for mutual TLS, "
                        + KafkaSecurity.KEYSTORE_LOCATION + " (a client certificate signed by a CA the broker trusts)";
            }
            if (c instanceof AuthenticationException) {
                return "Kafka did not authenticate the client: " + c.getMessage();
            }
            if (c instanceof TopicAuthorizationException e) {
                return "Kafka refused access to topics " + e.unauthorizedTopics() + ": this client's Kafka user has no"
                        + " ACL allowing it (see KafkaAccess for each service's grants)";
            }
            if (c instanceof GroupAuthorizationException e) {
                return "Kafka refused the consumer group " + e.groupId() + ": this client's Kafka user has no ACL"
                        + " allowing it";
            }
            if (c instanceof TransactionalIdAuthorizationException) {
                return "Kafka refused the transactional id (" + c.getMessage() + "): this client's Kafka user has no ACL"
                        + " allowing it";
            }
            if (c instanceof AuthorizationException) {
                return "Kafka refused the operation: " + c.getMessage();
            }
        }
        return null;
    }
}
