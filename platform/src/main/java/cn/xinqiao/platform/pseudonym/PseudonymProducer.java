package cn.xinqiao.platform.pseudonym;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The deployment's pseudonym secret ({@code xinqiao.pseudonym.secret}, env {@code XINQIAO_PSEUDONYM_SECRET}).
 * Every service that derives student keys must share it; ./xq generates one per installation.
 */
@ApplicationScoped
public class PseudonymProducer {

    @Produces
    @ApplicationScoped
    @DefaultBean
    Pseudonyms pseudonyms(@ConfigProperty(name = "xinqiao.pseudonym.secret") Optional<String> secret) {
        return new Pseudonyms(secret.orElseThrow(() -> new IllegalStateException(
                "xinqiao.pseudonym.secret (XINQIAO_PSEUDONYM_SECRET) is not set")));
    }
}
