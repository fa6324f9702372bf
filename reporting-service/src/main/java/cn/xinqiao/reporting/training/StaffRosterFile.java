package cn.xinqiao.reporting.training;

import cn.xinqiao.platform.files.CsvText;
import cn.xinqiao.platform.problem.ProblemDetails;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A school's staff list as the school keeps it (CSV, UTF-8 or GB18030): 工号, 姓名, 岗位 (班主任 / 心理教师 / 其他).
 * Every row is checked before anything is stored; the errors name the file's own line numbers. Plain Java.
 */
public final class StaffRosterFile {

    public enum StaffRole {
        HEAD_TEACHER("班主任"), PSYCHOLOGY_TEACHER("心理教师"), OTHER("其他");

        public final String zh;

        StaffRole(String zh) {
            this.zh = zh;
        }
    }

    public record Member(String staffId, String name, StaffRole role) {
    }

    /** The members, or the errors of every bad row (never both). */
    public record Parsed(List<Member> members, List<ProblemDetails.FieldError> errors) {
    }

    static final int MAX_ROWS = 5_000;
    private static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("工号", "staffId"), Map.entry("教工号", "staffId"),
            Map.entry("staffid", "staffId"), Map.entry("staff_id", "staffId"), Map.entry("姓名", "name"), Map.entry("name", "name"),
            Map.entry("岗位", "role"), Map.entry("职务", "role"), Map.entry("role", "role"));
    private static final Map<String, StaffRole> ROLES = Map.ofEntries(Map.entry("班主任", StaffRole.HEAD_TEACHER),
            Map.entry("head_teacher", StaffRole.HEAD_TEACHER), Map.entry("心理教师", StaffRole.PSYCHOLOGY_TEACHER),
            Map.entry("心理健康教师", StaffRole.PSYCHOLOGY_TEACHER), Map.entry("psychology_teacher", StaffRole.PSYCHOLOGY_TEACHER),
            Map.entry("其他", StaffRole.OTHER), Map.entry("其他教师", StaffRole.OTHER), Map.entry("other", StaffRole.OTHER),
            Map.entry("", StaffRole.OTHER));

    private StaffRosterFile() {
    }

    public static Parsed parse(byte[] content) {
        List<List<String>> rows;
        try {
            rows = CsvText.rows(CsvText.decode(content), MAX_ROWS, 20, "more than " + MAX_ROWS + " rows");
        } catch (CsvText.TooBig e) {
            return failed(e.getMessage());
        }
        if (rows.isEmpty()) {
            return failed("the file is empty");
        }
        List<String> header = rows.get(0).stream().map(h -> HEADERS.get(CsvText.header(h))).toList();
        if (!header.contains("staffId") || !header.contains("name")) {
            return failed("the header row needs 工号 and 姓名 (and 岗位: 班主任, 心理教师 or 其他)");
        }
        List<Member> members = new ArrayList<>();
        List<ProblemDetails.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.stream().allMatch(String::isBlank)) {
                continue;
            }
            String line = "line " + (r + 1);
            String id = cell(row, header, "staffId");
            String name = cell(row, header, "name");
            StaffRole role = ROLES.get(cell(row, header, "role").toLowerCase(java.util.Locale.ROOT));
            if (!id.matches("[A-Za-z0-9-]{1,32}")) {
                errors.add(new ProblemDetails.FieldError(line, "工号 must be 1–32 letters, digits or hyphens"));
            } else if (!seen.add(id)) {
                errors.add(new ProblemDetails.FieldError(line, "工号 appears twice in the file"));
            }
            if (name.isBlank() || name.length() > 64) {
                errors.add(new ProblemDetails.FieldError(line, "姓名 is required, at most 64 characters"));
            } else if ("=+-@\t\r".indexOf(name.charAt(0)) >= 0) {
                errors.add(new ProblemDetails.FieldError(line, "姓名 must not start with = + - @ (a spreadsheet formula)"));
            }
            if (role == null) {
                errors.add(new ProblemDetails.FieldError(line, "岗位 must be 班主任, 心理教师 or 其他"));
            }
            if (errors.isEmpty()) {
                members.add(new Member(id, name, role));
            }
        }
        if (members.isEmpty() && errors.isEmpty()) {
            return failed("the file lists nobody");
        }
        return errors.isEmpty() ? new Parsed(List.copyOf(members), List.of()) : new Parsed(List.of(), List.copyOf(errors));
    }

    private static String cell(List<String> row, List<String> header, String column) {
        int i = header.indexOf(column);
        return i < 0 || i >= row.size() ? "" : row.get(i).strip();
    }

    private static Parsed failed(String why) {
        return new Parsed(List.of(), List.of(new ProblemDetails.FieldError("file", why)));
    }
}
