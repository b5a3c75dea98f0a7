package dev.imdbstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    @Test
    void shouldGrantEachServiceOnlyWhatItUses() {
        // Writes the data topics; reads one of them back, to skip the reviews it has already encoded.
        assertThat(KafkaAccess.aclBindings(KafkaAccess.INGESTOR)).hasSize(2).allSatisfy(b -> {
            assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.TOPIC);
            assertThat(b.entry().principal()).isEqualTo("User:ingestor");
        }).anySatisfy(b -> {
            assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
            assertThat(b.pattern().name()).isEqualTo("imdb.");
            assertThat(b.entry().operation()).isEqualTo(AclOperation.WRITE);
        }).anySatisfy(b -> {
            assertThat(b.pattern().patternType()).isEqualTo(PatternType.LITERAL);
            assertThat(b.pattern().name()).isEqualTo(Topics.REVIEW_EMBEDDINGS.name());
            assertThat(b.entry().operation()).isEqualTo(AclOperation.READ);
        });
        // No service may create topics of the system, alter configurations or touch the cluster.
        KafkaAccess.USERS.forEach((user, grants) -> grants.forEach(g -> {
            assertThat(g.type()).isNotEqualTo(ResourceType.CLUSTER);
            assertThat(g.operations()).doesNotContain(AclOperation.ALL, AclOperation.ALTER, AclOperation.ALTER_CONFIGS);
            if (g.operations().contains(AclOperation.CREATE)) {
                assertThat(g.name()).as("%s creates only its own internal topics", user)
                        .isEqualTo(KafkaAccess.SCORER_APPLICATION_ID + "-");
            }
        }));
        assertThat(KafkaAccess.aclBindings(KafkaAccess.SCORER))
                .anySatisfy(b -> assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID));
        assertThatThrownBy(() -> KafkaAccess.aclBindings("admin")).hasMessageContaining("no Kafka user admin");
    }
}
