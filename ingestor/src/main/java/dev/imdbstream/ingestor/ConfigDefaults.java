package dev.imdbstream.ingestor;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.Config;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line's defaults come from the configuration: an option's default is the value of the {@code ingest.*}
 * property its {@code descriptionKey} names ({@code ingest.*}: IngestConfig's defaults, application.properties, {@code INGEST_*}
 * variables), so each setting has its default in one place.
 */
@ApplicationScoped
class ConfigDefaults {

    private static final String PREFIX = "ingest.";

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory, Config config) {
        return factory.create().setDefaultValueProvider(provider(config));
    }

    static IDefaultValueProvider provider(Config config) {
        return arg -> {
            String key = arg.descriptionKey();
            if (key == null || !key.startsWith(PREFIX)) {
                return null; // options of no setting (--dry-run) and picocli's own (--help: a message key)
            }
            Optional<String> value = config.getOptionalValue(key, String.class);
            if (value.isEmpty() && !Optional.class.isAssignableFrom(arg.type())) {
                throw new IllegalStateException("no configured default for " + name(arg) + " (" + key + ")");
            }
            return value.orElse(null);
        };
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
    }
}
