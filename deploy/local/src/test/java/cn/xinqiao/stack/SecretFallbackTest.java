package cn.xinqiao.stack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No secret has a committed fallback a deployment could run on by accident (issue 29): in every service's
 * application.properties, a secret-bearing key outside the {@code %dev} and {@code %test} profiles is either read
 * from the environment without a default ({@code ${XINQIAO_…}}, so a missing one stops the start with its name) or
 * left empty (a channel that stays off until configured).
 */
class SecretFallbackTest {

    private static final Path ROOT = Path.of(System.getProperty("xinqiao.root", "../..")).toAbsolutePath().normalize();
    private static final Pattern SECRET_KEY = Pattern.compile("^(?!%dev\\.|%test\\.)[^#=]*(secret|password)[^=]*=(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FROM_ENV_WITHOUT_DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+}");

    @Test
    void noSecretFallsBackToACommittedValueOutsideDevAndTest() throws IOException {
        List<Path> files;
        try (Stream<Path> modules = Files.list(ROOT)) {
            files = modules.map(m -> m.resolve("src/main/resources/application.properties")).filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() >= 6, "the services' configuration files: " + files);
        List<String> fallbacks = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                var m = SECRET_KEY.matcher(line.strip());
                if (!m.matches()) {
                    continue;
                }
                String value = m.group(2).strip();
                if (!value.isEmpty() && !FROM_ENV_WITHOUT_DEFAULT.matcher(value).matches()) {
                    fallbacks.add(ROOT.relativize(file) + ": " + line.strip());
                }
            }
        }
        assertEquals(List.of(), fallbacks);
    }
}
