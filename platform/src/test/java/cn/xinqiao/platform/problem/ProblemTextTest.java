package cn.xinqiao.platform.problem;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ProblemTextTest {

    @Test
    void zhCnUnlessTheReaderPrefersEnglish() {
        assertEquals(ProblemText.ZH_CN, ProblemText.localeOf(null));
        assertEquals(ProblemText.ZH_CN, ProblemText.localeOf(""));
        assertEquals(ProblemText.ZH_CN, ProblemText.localeOf("zh-CN,zh;q=0.9,en;q=0.8"));
        assertEquals(ProblemText.ZH_CN, ProblemText.localeOf("fr-FR"));
        assertEquals(ProblemText.ZH_CN, ProblemText.localeOf("not a language range ;;;"));
        assertEquals(Locale.ENGLISH, ProblemText.localeOf("en"));
        assertEquals(Locale.ENGLISH, ProblemText.localeOf("en-GB,en;q=0.9,zh-CN;q=0.5"));
        assertEquals(Locale.ENGLISH, ProblemText.localeOf("zh-CN;q=0.2,en-US;q=0.8"), "the highest weight wins, not the first written");
    }

    @Test
    void titlesByTypeThenByStatus() {
        assertEquals("输入校验未通过", ProblemText.title("validation", 400, "Validation failed", ProblemText.ZH_CN));
        assertEquals("Validation failed", ProblemText.title("validation", 400, "x", Locale.ENGLISH));
        assertEquals("与当前状态冲突", ProblemText.title("already-resolved", 409, "Conflict", ProblemText.ZH_CN));
        assertEquals("HTTP 418", ProblemText.title("teapot", 418, "HTTP 418", ProblemText.ZH_CN), "no entry: as written");
    }

    @Test
    void bothCataloguesHaveTheSameKeysAndEveryPatternFormats() throws Exception {
        Properties en = load("problem-messages.properties");
        Properties zh = load("problem-messages_zh_CN.properties");
        assertEquals(en.stringPropertyNames(), zh.stringPropertyNames());
        for (String key : en.stringPropertyNames()) {
            Object[] args = {"A", "B", "C", "D", "E"};
            assertFalse(ProblemText.format(new ProblemText.Text(key, java.util.List.of(args)), ProblemText.ZH_CN).contains("{"), key);
            assertFalse(ProblemText.format(new ProblemText.Text(key, java.util.List.of(args)), Locale.ENGLISH).contains("{"), key);
        }
        assertEquals("未知字段“age”", ProblemText.format(ProblemText.Text.of("detail.unknown-field", "age"), ProblemText.ZH_CN));
        assertEquals("unknown field 'age'", ProblemText.format(ProblemText.Text.of("detail.unknown-field", "age"), Locale.ENGLISH));
        assertEquals("no.such.key", ProblemText.format(ProblemText.Text.of("no.such.key"), Locale.ENGLISH));
    }

    private static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = ProblemText.class.getResourceAsStream(name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
