package cn.xinqiao.platform.tenancy;

/**
 * GB/T 2260 administrative division codes: {@code 370000} a province, {@code 370800} a city,
 * {@code 370811} a county or district. A code covers every code that starts with its significant
 * prefix, so a city analyst (370800) sees 370811 and 370812, a county analyst only their county.
 */
public final class Districts {

    private Districts() {
    }

    public static boolean covers(String area, String target) {
        if (area == null || target == null || area.length() != 6 || target.length() != 6) {
            return false;
        }
        return target.startsWith(significantPrefix(area));
    }

    /** 370800 -> 3708, 370000 -> 37, 370811 -> 370811. */
    public static String significantPrefix(String code) {
        String prefix = code;
        while (prefix.length() > 2 && prefix.endsWith("00")) {
            prefix = prefix.substring(0, prefix.length() - 2);
        }
        return prefix;
    }

    /** The city a county belongs to: 370811 -> 370800. */
    public static String cityOf(String code) {
        return code.substring(0, 4) + "00";
    }

    /** The county of a school: its id is {@code S} + the county's code + a 3-digit number (S370811001 -> 370811). */
    public static String countyOfSchool(String schoolId) {
        return schoolId.substring(1, 7);
    }

    public static boolean isCounty(String code) {
        return code != null && code.length() == 6 && !code.endsWith("00");
    }
}
