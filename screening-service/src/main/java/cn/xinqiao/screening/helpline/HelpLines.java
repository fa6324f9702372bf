package cn.xinqiao.screening.helpline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/**
 * The numbers a student or guardian is given wherever they may need help (receipts, slips, refusals): the city's own
 * 24-hour psychological support line (Jining's is 0537-5151885) and the emergency numbers. A deployment setting;
 * the national line 12356 when a city has none of its own.
 */
@ConfigMapping(prefix = "xinqiao.help-lines")
public interface HelpLines {

    /** The 24-hour psychological support line. */
    @WithDefault("12356")
    String hotline();

    @WithDefault("110,120")
    List<String> emergency();

    /** {@code 110 / 120}. */
    default String emergencyText() {
        return String.join(" / ", emergency());
    }
}
