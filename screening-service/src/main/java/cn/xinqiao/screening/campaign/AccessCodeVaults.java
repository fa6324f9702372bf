package cn.xinqiao.screening.campaign;

import cn.xinqiao.screening.domain.AccessCodeVault;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The deployment's {@link AccessCodeVault}: its secret is {@code xinqiao.access-code.secret} (XINQIAO_ACCESS_CODE_SECRET). */
public class AccessCodeVaults {

    @Produces
    @Singleton
    AccessCodeVault vault(@ConfigProperty(name = "xinqiao.access-code.secret") String secret) {
        return new AccessCodeVault(secret);
    }
}
