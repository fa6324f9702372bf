package cn.xinqiao.notification.domain;

/**
 * What an event asks of a person, before anyone is chosen: the organisation that must act, how urgent, the text and
 * the deep link. The text names an organisation and a count, never a student.
 */
public record AlertSpec(String kind, Severity severity, OrgKind orgKind, String orgId, String districtCode, String title, String link,
                        String subject) {

    public enum OrgKind { SCHOOL, HOSPITAL, BUREAU, HOTLINE }
}
