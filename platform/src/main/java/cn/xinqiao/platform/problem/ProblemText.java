package cn.xinqiao.platform.problem;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The one message catalogue of problem titles, details and field messages ({@code problem-messages.properties},
 * English, and {@code problem-messages_zh_CN.properties}): zh-CN unless the reader's {@code Accept-Language}
 * prefers English. A message without a catalogue entry is shown as written.
 */
public final class ProblemText {

    public static final Locale ZH_CN = Locale.SIMPLIFIED_CHINESE;
    private static final String BUNDLE = "cn.xinqiao.platform.problem.problem-messages";

    /** A catalogue message: its key and the values its pattern names ({0}, {1}, …); never personal data. */
    public record Text(String key, List<Object> args) {
        public static Text of(String key, Object... args) {
            return new Text(key, List.of(args));
        }
    }

    private ProblemText() {
    }

    /** The reader's language from {@code Accept-Language}: English when the first language it names is English, else zh-CN. */
    public static Locale localeOf(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return ZH_CN;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
            for (Locale.LanguageRange range : ranges) {
                String tag = range.getRange().toLowerCase(Locale.ROOT);
                if (range.getWeight() <= 0 || tag.equals("*")) {
                    continue;
                }
                return tag.startsWith("en") ? Locale.ENGLISH : ZH_CN;
            }
        } catch (IllegalArgumentException e) {
            return ZH_CN;
        }
        return ZH_CN;
    }

    /** The title of a problem: by its type, else by its status. */
    public static String title(String slug, int status, String fallback, Locale locale) {
        String byType = find("title." + slug, locale);
        if (byType != null) {
            return byType;
        }
        String byStatus = find("title." + status, locale);
        return byStatus != null ? byStatus : fallback;
    }

    public static String format(Text text, Locale locale) {
        String pattern = find(text.key(), locale);
        if (pattern == null) {
            return text.key();
        }
        return new MessageFormat(pattern, locale).format(text.args().toArray());
    }

    private static String find(String key, Locale locale) {
        try {
            ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale, ProblemText.class.getClassLoader(),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
            return bundle.containsKey(key) ? bundle.getString(key) : null;
        } catch (MissingResourceException e) {
            return null;
        }
    }
}
