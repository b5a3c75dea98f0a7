package dev.imdbstream.scorer.streams;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.scorer.model.ModelRegistry;

/**
 * Keeps the global {@code scorer-models} store equal to the compacted {@code models} topic (key: model id, value:
 * artifact; a tombstone removes the model) and tells the {@link ModelRegistry} about every change. Runs on the
 * global stream thread of every instance, also while the store is restored at start, so each instance loads the
 * models before its stream threads score anything.
 */
final class ModelsProcessor implements Processor<String, ModelArtifact, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelsProcessor.class);

    private final ModelRegistry registry;
    private KeyValueStore<String, ModelArtifact> store;

    ModelsProcessor(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(TopologyProducer.MODELS_STORE);
        // A persistent store restores only what was written since its last checkpoint through process(): the rest
        // is already in it and is registered here.
        List<ModelArtifact> stored = new ArrayList<>();
        try (KeyValueIterator<String, ModelArtifact> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ModelArtifact> kv = all.next();
                if (kv.value != null) {
                    stored.add(kv.value);
                }
            }
        }
        registry.offerAll(stored, store::get);
    }

    @Override
    public void process(Record<String, ModelArtifact> record) {
        String modelId = record.key();
        ModelArtifact artifact = record.value();
        if (modelId == null) {
            LOG.warn("record without a key on the models topic ignored");
            return;
        }
        if (artifact == null) {
            store.delete(modelId);
            registry.remove(modelId, store::get);
            return;
        }
        if (!modelId.equals(artifact.modelId())) {
            LOG.warn("artifact of model {} under key {} ignored: the key must be the model id", artifact.modelId(), modelId);
            return;
        }
        store.put(modelId, artifact);
        registry.offer(artifact, store::get);
    }
}
