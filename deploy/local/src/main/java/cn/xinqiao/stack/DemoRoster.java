package cn.xinqiao.stack;

import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/** The demo city's schools and their generated rosters (fictitious names and phones; birth years by grade). */
public final class DemoRoster {

    public record DemoSchool(String id, String name, String districtCode, String stage, int firstGrade, int classesPerGrade,
                             int studentsPerClass, String counsellor) {
    }

    public static final List<DemoSchool> SCHOOLS = List.of(
            new DemoSchool("S370811001", "济宁市第一中学", "370811", "SENIOR", 10, 2, 20, "counselor.jn1"),
            new DemoSchool("S370811002", "任城区实验初级中学", "370811", "JUNIOR", 7, 2, 15, "counselor.rc2"),
            new DemoSchool("S370812001", "兖州区第一中学", "370812", "SENIOR", 10, 1, 25, "counselor.yz1"),
            new DemoSchool("S370812002", "兖州区实验初级中学", "370812", "JUNIOR", 7, 1, 25, "counselor.yz2"));

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
    private static final String[] GIVEN = {"子涵", "欣怡", "梓轩", "浩然", "雨桐", "宇航", "思远", "佳琪", "一诺", "俊杰", "诗涵", "博文",
            "语嫣", "明轩", "若曦", "天佑", "婉清", "泽宇", "可馨", "晨阳", "雅琴", "志强", "心怡", "嘉豪"};

    /** 济宁市 24 小时心理援助热线, from the city's notice (seed 004): the demo city's own line. */

    static String roster(DemoSchool school, Random random) {
        StringBuilder csv = new StringBuilder("学号,姓名,性别,出生日期,年级,班级,监护人,监护人电话\n");
        int year = LocalDate.now().getYear();
        int seq = 1;
        for (int grade = school.firstGrade(); grade < school.firstGrade() + 3; grade++) {
            for (int c = 1; c <= school.classesPerGrade(); c++) {
                for (int s = 0; s < school.studentsPerClass(); s++, seq++) {
                    String surname = SURNAMES[random.nextInt(SURNAMES.length)];
                    boolean girl = random.nextBoolean();
                    LocalDate birth = LocalDate.of(year - grade - 6, 1 + random.nextInt(12), 1 + random.nextInt(28));
                    csv.append(String.format("%s%04d,%s%s,%s,%s,%d,%d班,%s%s,1380537%04d%n", school.id().substring(7), seq,
                            surname, GIVEN[random.nextInt(GIVEN.length)], girl ? "女" : "男", birth, grade, c,
                            surname, random.nextBoolean() ? "建国" : "丽华", random.nextInt(10000)));
                }
            }
        }
        return csv.toString();
    }

    private DemoRoster() {
    }
}
