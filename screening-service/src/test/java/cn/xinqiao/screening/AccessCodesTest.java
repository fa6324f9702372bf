package cn.xinqiao.screening;

import cn.xinqiao.screening.domain.AccessCodes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a student may type for the code on their slip (shown as XXXX-XXXX), and what can never be a code. */
class AccessCodesTest {

    @Test
    void theWaysAStudentTypesTheCodeOnTheirSlipAllFindIt() {
        assertEquals("ABCD2345", AccessCodes.normalise("ABCD2345"));
        assertEquals("ABCD2345", AccessCodes.normalise("abcd-2345"));
        assertEquals("ABCD2345", AccessCodes.normalise("  Abcd 2345\n"));
        assertEquals("ABCD2345", AccessCodes.normalise("AB\tCD-23 45"));
        assertEquals("ABCD2345", AccessCodes.normalise("ＡＢＣＤ－２３４５"), "full-width (全角), as a Chinese input method types it");
        assertEquals("ABCD2345", AccessCodes.normalise("ａｂｃｄ　２３４５"), "full-width lower case and the ideographic space");
        assertEquals("ABCD2345", AccessCodes.normalise("ABCD\u20132345"), "an en dash that autocorrect made of '-'");
        assertEquals("ABCD2345", AccessCodes.normalise("ABCD\u00a02345"), "a non-breaking space pasted from a message");
    }

    @Test
    void whatCannotBeACodeIsRefusedBeforeAnyLookup() {
        assertNull(AccessCodes.normalise(null));
        assertNull(AccessCodes.normalise(""));
        assertNull(AccessCodes.normalise("ABCD234"), "seven characters");
        assertNull(AccessCodes.normalise("ABCD23456"), "nine characters");
        assertNull(AccessCodes.normalise("ABCD-2345-6"), "nine characters with separators");
        assertNull(AccessCodes.normalise("ABCD2340"), "0 is not in the alphabet (look-alike of O)");
        assertNull(AccessCodes.normalise("OBCD2345"), "O is not in the alphabet");
        assertNull(AccessCodes.normalise("IBCD2345"), "I is not in the alphabet");
        assertNull(AccessCodes.normalise("LBCD2345"), "L is not in the alphabet");
        assertNull(AccessCodes.normalise("ABCD_2345"), "only spaces and dashes separate");
        assertNull(AccessCodes.normalise("ABCD'2345"), "no quote");
        assertNull(AccessCodes.normalise("ÀBCD2345"), "no accented letter");
        assertNull(AccessCodes.normalise("ABCD２３４"), "seven characters, partly full-width");
    }

    @Test
    void everyIssuedCodeReadsBackAsItselfAndAsItsDisplayForm() {
        for (int i = 0; i < 10_000; i++) {
            String code = AccessCodes.next();
            assertEquals(AccessCodes.LENGTH, code.length());
            assertTrue(code.chars().allMatch(c -> AccessCodes.ALPHABET.indexOf(c) >= 0), code);
            assertEquals(code, AccessCodes.normalise(code));
            assertEquals(code, AccessCodes.normalise(AccessCodes.display(code)));
            assertEquals(code, AccessCodes.normalise(AccessCodes.display(code).toLowerCase(java.util.Locale.ROOT)));
        }
    }
}
