package cn.xinqiao.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff pages as files: ES modules whose imports resolve, every Chinese text a key of the one message catalogue
 * (so the English page has no gap), and markup only through lit-html (no innerHTML: what the services send is
 * rendered as text, never parsed).
 */
class StaffPagesTest {

    private static final Path STAFF = Path.of("src/main/resources/META-INF/resources/staff");
    private static final Pattern CJK_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*[\\u4e00-\\u9fff\\uff08-\\uff1f\\u3001-\\u3011](?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern CATALOGUE_ENTRY = Pattern.compile("^\\s*\"((?:[^\"\\\\]|\\\\.)*)\": \"((?:[^\"\\\\]|\\\\.)*)\",$", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^(?:import|export) [^;]*?from \"([^\"]+)\";|^import \"([^\"]+)\";", Pattern.MULTILINE);
    /** Literals that are not messages: the list separator of names, and the language switch's name for Chinese. */
    private static final Set<String> NOT_MESSAGES = Set.of("、", "中文");

    @Test
    void everyChineseTextOfThePagesIsInTheCatalogue() throws IOException {
        Set<String> keys = new HashSet<>();
        Matcher entry = CATALOGUE_ENTRY.matcher(Files.readString(STAFF.resolve("messages.js")));
        while (entry.find()) {
            keys.add(entry.group(1));
        }
        assertTrue(keys.size() > 200, "the catalogue was read: " + keys.size());
        List<String> missing = new ArrayList<>();
        for (Path js : scripts()) {
            if (js.endsWith("messages.js")) {
                continue;
            }
            Matcher literal = CJK_LITERAL.matcher(withoutComments(Files.readString(js)));
            while (literal.find()) {
                if (!keys.contains(literal.group(1)) && !NOT_MESSAGES.contains(literal.group(1))) {
                    missing.add(STAFF.relativize(js) + ": " + literal.group(1));
                }
            }
        }
        assertEquals(List.of(), missing, "texts with no English in messages.js");
    }

    @Test
    void theScriptsAreModulesWhoseImportsResolve() throws IOException {
        String index = Files.readString(STAFF.resolve("index.html"));
        assertTrue(index.contains("<script type=\"module\" src=\"/staff/main.js\"></script>"), "the page loads its entry as a module");
        assertFalse(index.contains("<script>"), "no inline script");
        int imports = 0;
        for (Path js : scripts()) {
            Matcher m = IMPORT.matcher(Files.readString(js));
            while (m.find()) {
                String target = m.group(1) != null ? m.group(1) : m.group(2);
                imports++;
                if (target.startsWith("/_static/")) {
                    assertTrue(target.matches("/_static/lit-html/3\\.3\\.1/[a-z/-]+\\.js"), js + " imports " + target);
                    continue;
                }
                assertTrue(target.startsWith("./") || target.startsWith("../"), js + " imports " + target);
                assertTrue(Files.isRegularFile(js.getParent().resolve(target).normalize()), js + " imports a missing " + target);
            }
        }
        assertTrue(imports > 40, "imports were read: " + imports);
    }

    @Test
    void markupGoesThroughTheEscapingLibraryOnly() throws IOException {
        for (Path js : scripts()) {
            String code = withoutComments(Files.readString(js));
            assertFalse(code.contains("innerHTML"), js + " writes innerHTML");
            assertFalse(code.contains("insertAdjacentHTML"), js + " writes HTML");
            assertFalse(code.contains("unsafeHTML"), js + " renders unescaped HTML");
            assertFalse(code.contains("esc("), js + " escapes by hand");
        }
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.walk(STAFF)) {
            List<Path> js = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
            assertTrue(js.size() > 10, "the scripts were found: " + js);
            return js;
        }
    }

    private static String withoutComments(String js) {
        return js.replaceAll("(?m)^\\s*//.*$", "").replaceAll("(?s)/\\*.*?\\*/", "");
    }
}
