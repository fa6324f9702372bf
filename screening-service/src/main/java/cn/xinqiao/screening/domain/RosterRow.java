package cn.xinqiao.screening.domain;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One validated roster line. {@link #parse} accepts the column names counsellors actually use (Chinese or
 * English), grade as a number or 初一…高三, sex as 男/女 or M/F, and refuses spreadsheet formulas.
 */
public record RosterRow(int line, String studentNumber, String name, String sex, LocalDate birthDate, int grade,
                        String className, String guardianName, String guardianPhone, String nationalId) {

    public static final List<String> COLUMNS = List.of("studentNumber", "name", "sex", "birthDate", "grade",
            "className", "guardianName", "guardianPhone", "nationalId");

    /** Header aliases → canonical column. */
    public static final Map<String, String> HEADER_ALIASES = Map.ofEntries(
            Map.entry("学号", "studentNumber"), Map.entry("studentnumber", "studentNumber"), Map.entry("student number", "studentNumber"),
            Map.entry("姓名", "name"), Map.entry("name", "name"),
            Map.entry("性别", "sex"), Map.entry("sex", "sex"), Map.entry("gender", "sex"),
            Map.entry("出生日期", "birthDate"), Map.entry("birthdate", "birthDate"), Map.entry("birth date", "birthDate"),
            Map.entry("年级", "grade"), Map.entry("grade", "grade"),
            Map.entry("班级", "className"), Map.entry("classname", "className"), Map.entry("class", "className"),
            Map.entry("监护人", "guardianName"), Map.entry("监护人姓名", "guardianName"), Map.entry("guardianname", "guardianName"), Map.entry("guardian", "guardianName"),
            Map.entry("监护人电话", "guardianPhone"), Map.entry("联系电话", "guardianPhone"), Map.entry("guardianphone", "guardianPhone"), Map.entry("guardian phone", "guardianPhone"),
            Map.entry("全国学籍号", "nationalId"), Map.entry("学籍号", "nationalId"), Map.entry("nationalid", "nationalId"),
            Map.entry("national student id", "nationalId"));

    private static final Pattern STUDENT_NUMBER = Pattern.compile("[A-Za-z0-9-]{1,32}");
    /** 全国学籍号: a letter (G, L, J…) and the 18-character ID-card number, or a provincial number of 10–19 characters. */
    private static final Pattern NATIONAL_ID = Pattern.compile("[A-Za-z]?[0-9]{9,18}[0-9Xx]");
    private static final Pattern PHONE = Pattern.compile("1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}");
    private static final List<String> GRADE_NAMES = List.of("一年级", "二年级", "三年级", "四年级", "五年级", "六年级",
            "初一", "初二", "初三", "高一", "高二", "高三");

    /** A parse outcome: either a row or the reasons it was refused (never both). */
    public record Parsed(RosterRow row, List<String> errors) {
    }

    public static Parsed parse(int line, Map<String, String> cells, LocalDate today) {
        List<String> errors = new ArrayList<>();
        String number = text(cells, "studentNumber");
        String name = text(cells, "name");
        String guardian = text(cells, "guardianName");
        String phone = text(cells, "guardianPhone").replaceAll("[\\s]", "");
        String className = text(cells, "className");
        for (Map.Entry<String, String> cell : cells.entrySet()) {
            String v = cell.getValue() == null ? "" : cell.getValue().trim();
            if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 && !cell.getKey().equals("guardianPhone")
                    && !cell.getKey().equals("studentNumber") && !cell.getKey().equals("birthDate")) {
                errors.add(cell.getKey() + ": starts with a formula character (" + v.charAt(0) + ")");
            }
        }
        if (!STUDENT_NUMBER.matcher(number).matches()) {
            errors.add("studentNumber: required, letters, digits or '-', at most 32");
        } else if ("=+-@".indexOf(number.charAt(0)) >= 0) {
            errors.add("studentNumber: starts with a formula character");
        }
        if (name.isEmpty() || name.length() > 50) {
            errors.add("name: required, at most 50 characters");
        }
        String sex = switch (text(cells, "sex").toUpperCase(Locale.ROOT)) {
            case "男", "M", "MALE" -> "MALE";
            case "女", "F", "FEMALE" -> "FEMALE";
            case "", "未知", "UNKNOWN" -> "UNKNOWN";
            default -> {
                errors.add("sex: must be 男/女 (M/F)");
                yield null;
            }
        };
        LocalDate birth = null;
        String birthText = text(cells, "birthDate").replace('/', '-').replace('.', '-');
        if (!birthText.isEmpty()) {
            try {
                birth = LocalDate.parse(normaliseDate(birthText));
                int age = today.getYear() - birth.getYear();
                if (age < 4 || age > 25) {
                    errors.add("birthDate: " + birthText + " is not a school-age birth date");
                }
            } catch (DateTimeParseException e) {
                errors.add("birthDate: use yyyy-mm-dd");
            }
        }
        int grade = grade(text(cells, "grade"));
        if (grade < 1 || grade > 12) {
            errors.add("grade: 1-12 or 初一…高三");
        }
        if (className.isEmpty() || className.length() > 20) {
            errors.add("className: required, at most 20 characters");
        }
        if (guardian.length() > 50) {
            errors.add("guardianName: at most 50 characters");
        }
        if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
            errors.add("guardianPhone: an 11-digit mobile or a landline with area code");
        }
        String nationalId = text(cells, "nationalId");
        if (!nationalId.isEmpty() && !NATIONAL_ID.matcher(nationalId).matches()) {
            errors.add("nationalId: a national student registration number (全国学籍号), letters and digits");
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, List.copyOf(errors));
        }
        return new Parsed(new RosterRow(line, number.toUpperCase(Locale.ROOT), name, sex, birth, grade, className,
                guardian.isEmpty() ? null : guardian, phone.isEmpty() ? null : phone,
                nationalId.isEmpty() ? null : nationalId.toUpperCase(Locale.ROOT)), List.of());
    }

    private static String normaliseDate(String text) {
        String[] parts = text.split("-");
        if (parts.length == 3) {
            return parts[0] + "-" + (parts[1].length() == 1 ? "0" + parts[1] : parts[1]) + "-"
                    + (parts[2].length() == 1 ? "0" + parts[2] : parts[2]);
        }
        if (text.matches("[0-9]{8}")) {
            return text.substring(0, 4) + "-" + text.substring(4, 6) + "-" + text.substring(6);
        }
        return text;
    }

    private static int grade(String text) {
        if (text.matches("[0-9]{1,2}")) {
            return Integer.parseInt(text);
        }
        int index = GRADE_NAMES.indexOf(text);
        return index < 0 ? -1 : index + 1;
    }

    private static String text(Map<String, String> cells, String column) {
        String v = cells.get(column);
        return v == null ? "" : v.strip();
    }
}
