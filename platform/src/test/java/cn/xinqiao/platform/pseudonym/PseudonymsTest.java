package cn.xinqiao.platform.pseudonym;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PseudonymsTest {

    private final Pseudonyms one = new Pseudonyms("a-deployment-secret-of-at-least-32-bytes!");
    private final Pseudonyms other = new Pseudonyms("another-deployment-secret-of-32-bytes!!!");

    @Test
    void sameStudentSameKeyAcrossFormatting() {
        assertEquals(one.studentKey("S370811001", "2024a001"), one.studentKey("S370811001", " 2024A001 "));
    }

    @Test
    void keyIs43Base64UrlCharactersAndRevealsNothing() {
        String key = one.studentKey("S370811001", "2024001");
        assertTrue(key.matches("[A-Za-z0-9_-]{43}"), key);
        assertTrue(!key.contains("2024001") && !key.contains("S370811001"));
    }

    @Test
    void sameNumberInAnotherSchoolIsAnotherStudent() {
        assertNotEquals(one.studentKey("S370811001", "2024001"), one.studentKey("S370811002", "2024001"));
    }

    @Test
    void anotherDeploymentCannotLinkKeys() {
        assertNotEquals(one.studentKey("S370811001", "2024001"), other.studentKey("S370811001", "2024001"));
    }

    @Test
    void phoneNumbersLinkWhateverTheFormatting() {
        assertEquals(one.phoneKey("13800000000"), one.phoneKey("+86 138-0000-0000"));
        assertNotEquals(one.phoneKey("13800000000"), one.phoneKey("13800000001"));
    }

    @Test
    void shortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Pseudonyms("short"));
    }
}
