package cn.xinqiao.screening.consent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "xinqiao.consent")
public interface ConsentConfig {

    /** The age below which a guardian's recorded consent is required (PIPL art. 31: 14); 0 makes screening opt-out. */
    @WithDefault("14")
    int guardianConsentUnder();

    /** The largest scanned paper form accepted (PDF, JPEG, PNG). */
    @WithDefault("5242880")
    int maxFormBytes();

    /** Where a guardian opens their link: the code is appended ({@code …/guardian.html#code}). */
    @WithDefault("http://localhost:8080/guardian.html")
    String guardianPageUrl();
}
