package cn.xinqiao.screening;

import cn.xinqiao.screening.domain.Instrument;
import cn.xinqiao.screening.domain.RiskAssessment;
import cn.xinqiao.screening.domain.RiskLevel;
import cn.xinqiao.screening.domain.RiskPolicy;
import cn.xinqiao.screening.domain.Score;
import cn.xinqiao.screening.domain.Scorer;
import cn.xinqiao.screening.instrument.BuiltInInstruments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clinical safety: every band boundary, every critical rule, every policy level. Plain Java, no container. */
class ScoringTest {

    static final BuiltInInstruments CATALOG = new BuiltInInstruments(List.of("phq-9", "phq-a", "gad-7", "asq"));
    static final RiskPolicy POLICY = RiskPolicy.defaults();

    static Instrument instrument(String id) {
        return CATALOG.find(id).orElseThrow();
    }

    /** Answers summing to {@code total} with item 9 (PHQ) left at 0, filled from the first item. */
    static int[] sumWithoutItem9(int items, int total) {
        int[] answers = new int[items];
        int left = total;
        for (int i = 0; i < items && left > 0; i++) {
            if (items == 9 && i == 8) {
                break;
            }
            answers[i] = Math.min(3, left);
            left -= answers[i];
        }
        if (left > 0) {
            throw new IllegalArgumentException("cannot reach " + total);
        }
        return answers;
    }

    @ParameterizedTest(name = "{0} total {1} → {2} / {3}")
    @CsvSource({
            "PHQ-9,0,minimal,NONE", "PHQ-9,4,minimal,NONE", "PHQ-9,5,mild,LOW", "PHQ-9,9,mild,LOW",
            "PHQ-9,10,moderate,MODERATE", "PHQ-9,14,moderate,MODERATE", "PHQ-9,15,moderately-severe,MODERATE",
            "PHQ-9,19,moderately-severe,MODERATE", "PHQ-9,20,severe,HIGH", "PHQ-9,24,severe,HIGH",
            "PHQ-A,0,minimal,NONE", "PHQ-A,4,minimal,NONE", "PHQ-A,5,mild,LOW", "PHQ-A,9,mild,LOW",
            "PHQ-A,10,moderate,MODERATE", "PHQ-A,14,moderate,MODERATE", "PHQ-A,15,moderately-severe,MODERATE",
            "PHQ-A,19,moderately-severe,MODERATE", "PHQ-A,20,severe,HIGH", "PHQ-A,24,severe,HIGH",
            "GAD-7,0,minimal,NONE", "GAD-7,4,minimal,NONE", "GAD-7,5,mild,LOW", "GAD-7,9,mild,LOW",
            "GAD-7,10,moderate,MODERATE", "GAD-7,14,moderate,MODERATE", "GAD-7,15,severe,HIGH", "GAD-7,21,severe,HIGH"})
    void everyBandBoundary(String id, int total, String band, RiskLevel level) {
        Instrument instrument = instrument(id);
        Score score = Scorer.score(instrument, sumWithoutItem9(instrument.items().size(), total));
        assertEquals(total, score.total());
        assertEquals(band, score.band());
        assertFalse(score.hasCriticalItem());
        assertEquals(level, POLICY.assess(score).level());
    }

    @ParameterizedTest(name = "{0} item 9 = {1}")
    @CsvSource({"PHQ-9,1", "PHQ-9,2", "PHQ-9,3", "PHQ-A,1", "PHQ-A,2", "PHQ-A,3"})
    void criticalItemRaisesCriticalEvenWithLowTotal(String id, int item9) {
        int[] answers = new int[9];
        answers[8] = item9;
        Score score = Scorer.score(instrument(id), answers);
        assertEquals(item9, score.total());
        assertEquals("minimal", score.band());
        assertTrue(score.hasCriticalItem());
        RiskAssessment risk = POLICY.assess(score);
        assertEquals(RiskLevel.CRITICAL, risk.level());
        assertEquals("critical-item:" + id + ":item9", risk.rule());
        assertEquals("2024.1", risk.policyVersion());
    }

    @Test
    void maximalPhqWithItem9IsCriticalNotJustHigh() {
        int[] answers = new int[9];
        Arrays.fill(answers, 3);
        Score score = Scorer.score(instrument("PHQ-A"), answers);
        assertEquals(27, score.total());
        assertEquals(RiskLevel.CRITICAL, POLICY.assess(score).level());
    }

    @ParameterizedTest(name = "ASQ {0} → {1} / {2}")
    @CsvSource({
            "0 0 0 0 0,negative,NONE", "1 0 0 0 0,positive,HIGH", "0 0 0 1 0,positive,HIGH", "2 0 0 0 0,positive,HIGH",
            "0 0 2 0 0,positive,HIGH", "1 1 1 1 0,positive,HIGH", "1 0 0 0 1,acute-positive,CRITICAL",
            "2 2 2 2 1,acute-positive,CRITICAL", "0 0 0 0 1,acute-positive,CRITICAL"})
    void asqPositiveAndAcute(String answers, String band, RiskLevel level) {
        int[] values = Arrays.stream(answers.split(" ")).mapToInt(Integer::parseInt).toArray();
        Score score = Scorer.score(instrument("ASQ"), values);
        assertEquals(band, score.band());
        assertEquals(level, POLICY.assess(score).level());
    }

    /**
     * ASQ's question 5 follows a yes or declined answer to questions 1–4 (the NIMH protocol): four "no" are a
     * complete negative screen; a positive one without question 5 is incomplete; question 5 is yes/no only.
     */
    @Test
    void asqQuestionFiveIsAskedOnlyAfterAPositiveAnswer() {
        Instrument asq = instrument("ASQ");
        assertEquals(4, asq.itemsAsked(new int[]{0, 0, 0, 0}));
        assertEquals(5, asq.itemsAsked(new int[]{0, 0, 2, 0}));
        assertEquals(List.of(), asq.problemsWith(new int[]{0, 0, 0, 0}));
        Score negative = Scorer.score(asq, new int[]{0, 0, 0, 0});
        assertEquals("negative", negative.band());
        assertEquals(RiskLevel.NONE, POLICY.assess(negative).level());
        List<String> incomplete = asq.problemsWith(new int[]{0, 1, 0, 0});
        assertEquals(1, incomplete.size());
        assertTrue(incomplete.get(0).contains("5 items (4 when the follow-up question is not asked) but 4 answers were given: after a non-zero answer to an earlier item, item 5 must be answered too"), incomplete.get(0));
        assertEquals(1, asq.problemsWith(new int[]{0, 0, 0}).size());
        assertEquals(1, asq.problemsWith(new int[]{0, 0, 0, 0, 0, 0}).size());
        assertEquals(List.of(), asq.problemsWith(new int[]{0, 0, 0, 0, 0}), "an answer given anyway is accepted");
        assertEquals(RiskLevel.CRITICAL, POLICY.assess(Scorer.score(asq, new int[]{0, 0, 0, 0, 1})).level(),
                "and a yes to question 5 is never ignored");
        assertEquals(9, instrument("PHQ-A").itemsAsked(new int[9]), "instruments without follow-ups ask every item");
        // the student reads the question only: when it is asked is the data's rule (askedWhen), not a note in its text
        assertEquals("你现在是否有自杀的念头？", asq.items().get(4).zh());
        assertEquals("Are you having thoughts of killing yourself right now?", asq.items().get(4).en());
        assertEquals("1.1", asq.version(), "wording changed, so the version did");
    }

    @Test
    void answersOutsideTheOptionsOrOfTheWrongLengthAreRefused() {
        Instrument phq = instrument("PHQ-A");
        assertEquals(1, phq.problemsWith(new int[8]).size());
        assertEquals(1, phq.problemsWith(new int[10]).size());
        assertEquals(2, phq.problemsWith(new int[]{0, 4, 0, 0, -1, 0, 0, 0, 0}).size());
        assertTrue(phq.problemsWith(null).size() == 1);
        assertEquals(1, instrument("ASQ").problemsWith(new int[]{0, 0, 0, 0, 2}).size(), "Q5 is yes/no only");
        assertThrows(IllegalArgumentException.class, () -> Scorer.score(phq, new int[]{0, 0, 0, 0, 0, 0, 0, 0, 4}));
    }

    @Test
    void policyThresholdsAreConfigurableAndVersioned() {
        RiskPolicy stricter = new RiskPolicy("jining-2025", 15, 10, 5, 15, 10, 5);
        Score phq16 = Scorer.score(instrument("PHQ-A"), sumWithoutItem9(9, 16));
        assertEquals(RiskLevel.MODERATE, POLICY.assess(phq16).level());
        RiskAssessment risk = stricter.assess(phq16);
        assertEquals(RiskLevel.HIGH, risk.level());
        assertEquals("jining-2025", risk.policyVersion());
        assertThrows(IllegalArgumentException.class, () -> new RiskPolicy("bad", 5, 10, 20, 15, 10, 5));
    }

    @Test
    void everyInstrumentHasChineseAndEnglishWordingAndALicenceNote() {
        assertEquals(List.of("PHQ-9", "PHQ-A", "GAD-7", "ASQ"), CATALOG.all().stream().map(Instrument::id).toList());
        for (Instrument i : CATALOG.all()) {
            assertFalse(i.title().zh().isBlank() || i.title().en().isBlank(), i.id());
            assertFalse(i.licence().zh().isBlank() || i.licence().en().isBlank(), i.id());
            i.items().forEach(item -> assertFalse(item.zh().isBlank() || item.en().isBlank(), i.id() + " item " + item.n()));
            i.items().forEach(item -> assertFalse(i.optionsFor(item).isEmpty()));
        }
        assertEquals(9, instrument("PHQ-A").items().size());
        assertEquals(7, instrument("GAD-7").items().size());
        assertEquals(5, instrument("ASQ").items().size());
    }

    @Test
    void highestLevelWins() {
        assertEquals(RiskLevel.CRITICAL, RiskLevel.highest(RiskLevel.HIGH, RiskLevel.CRITICAL));
        assertEquals(RiskLevel.HIGH, RiskLevel.highest(RiskLevel.HIGH, RiskLevel.LOW));
        assertTrue(RiskLevel.HIGH.raisesReferral() && RiskLevel.CRITICAL.raisesReferral() && !RiskLevel.MODERATE.raisesReferral());
    }
}
