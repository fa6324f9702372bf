package cn.xinqiao.hotline.config;

import cn.xinqiao.hotline.call.CallerKeys;
import cn.xinqiao.hotline.domain.Taxonomy;
import cn.xinqiao.platform.pseudonym.Pseudonyms;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

public class HotlineBeans {

    @Produces
    @Singleton
    Taxonomy taxonomy() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("taxonomy.json")) {
            return Taxonomy.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Phone numbers are keyed with their own secret, separate from the student pseudonyms. */
    @Produces
    @Singleton
    @CallerKeys
    Pseudonyms callers(@ConfigProperty(name = "xinqiao.caller-hash.secret") Optional<String> secret) {
        return new Pseudonyms(secret.orElseThrow(() -> new IllegalStateException(
                "xinqiao.caller-hash.secret is not set (./xq up creates one in .xq/secrets.properties)")));
    }
}
