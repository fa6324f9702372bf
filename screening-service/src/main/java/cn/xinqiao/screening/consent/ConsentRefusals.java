package cn.xinqiao.screening.consent;

import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.screening.domain.ConsentRule;

import java.util.List;

/** How a student (or a counsellor keying in a paper form) is told that the guardian's consent stands in the way: kindly. */
public final class ConsentRefusals {

    private ConsentRefusals() {
    }

    public static Problem of(ConsentRule.Standing standing, String hotline) {
        if (standing == ConsentRule.Standing.AWAITING_GUARDIAN) {
            return new Problem(403, "consent-awaited", "Waiting for your guardian's consent",
                    "学校还没有收到你家长（监护人）的同意，暂时不需要作答。请提醒家长通过学校发的链接或纸质同意书回复。想找人聊聊，可以随时拨打 24 小时心理援助热线 "
                            + hotline + "。/ The school has not yet received your parent's or guardian's consent, so you do not need to answer"
                            + " yet; please remind them to reply through the school's link or paper form. If you would like to talk to someone,"
                            + " call the 24-hour support line " + hotline + " any time.", List.of());
        }
        return new Problem(403, "consent-declined", "No screening this time",
                "你的家长（监护人）没有同意你参加本次测评，你不需要作答，这不会对你有任何影响。如果你想找人聊聊，可以随时拨打 24 小时心理援助热线 "
                        + hotline + "。/ Your parent or guardian has not agreed to this screening, so you do not need to answer, and nothing"
                        + " follows from that. If you would like to talk to someone, call the 24-hour support line " + hotline + " any time.",
                List.of());
    }

    /** A paper form keyed in for a student whose guardian has not consented: refused, and nothing is stored. */
    public static Problem forPaper(ConsentRule.Standing standing) {
        return Problem.conflict(standing == ConsentRule.Standing.AWAITING_GUARDIAN ? "consent-awaited" : "consent-declined",
                standing == ConsentRule.Standing.AWAITING_GUARDIAN
                        ? "this student is under 14 and the guardian's consent has not been recorded; record it before entering the form"
                        + " / 该生未满 14 周岁且尚无监护人同意记录，请先登记同意书"
                        : "this student's guardian declined or withdrew consent this school year: the form is not entered, please destroy it"
                        + " / 该生监护人本学年不同意或已撤回同意，纸质问卷不予录入，请销毁");
    }
}
