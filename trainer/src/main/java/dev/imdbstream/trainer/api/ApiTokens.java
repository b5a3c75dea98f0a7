package dev.imdbstream.trainer.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.imdbstream.trainer.config.TrainerConfig;

/**
 * The API's callers: one per bearer token of {@code trainer.api.tokens}, named {@code token-1}, {@code token-2}, ...
 * Tokens are compared by their SHA-256 digests with {@link MessageDigest#isEqual}, whose time does not depend on where
 * two values differ. Checked at start: a token shorter than 16 characters stops the service.
 */
@Startup
@Singleton
public class ApiTokens implements IdentityProvider<TokenAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(ApiTokens.class);
    static final int MIN_LENGTH = 16;

    private final List<byte[]> digests = new ArrayList<>();

    public ApiTokens(TrainerConfig config) {
        List<String> tokens = config.api().tokens().orElse(List.of());
        for (String token : tokens) {
            if (token.strip().length() < MIN_LENGTH) {
                throw new IllegalStateException("trainer.api.tokens: token " + (digests.size() + 1) + " has fewer than "
                        + MIN_LENGTH + " characters, too easy to guess (e.g. openssl rand -hex 32)");
            }
            digests.add(sha256(token.strip()));
        }
        boolean permit = "permit".equalsIgnoreCase(config.api().auth());
        if (permit) {
            LOG.warn("trainer.api.auth=permit: anyone who reaches the port may POST and DELETE /experiments");
        } else if (digests.isEmpty()) {
            LOG.warn("no trainer.api.tokens: POST and DELETE /experiments refuse every request (401) until one is set");
        }
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] given = sha256(request.getToken().getToken());
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(given, digests.get(i))) {
                return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal("token-" + (i + 1))).addRole("experimenter").build());
            }
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("unknown bearer token"));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
