package cn.xinqiao.reporting.directory;

import cn.xinqiao.platform.tenancy.Districts;

/**
 * Where a report looks: a city (its counties are the rows), a county (its schools) or a school (its
 * grades). {@code prefix} matches every district code under a city or county.
 */
public record Area(Level level, String code, String name) {

    public enum Level {
        CITY("county"), COUNTY("school"), SCHOOL(null);

        /** The level one row of this area's tables opens. */
        public final String child;

        Level(String child) {
            this.child = child;
        }

        public String id() {
            return name().toLowerCase();
        }
    }

    /** LIKE pattern for district codes under this area (a school's own county for a school). */
    public String districtPattern() {
        return switch (level) {
            case CITY -> Districts.significantPrefix(code) + "%";
            case COUNTY -> code;
            case SCHOOL -> Districts.countyOfSchool(code);
        };
    }

    public boolean isSchool() {
        return level == Level.SCHOOL;
    }
}
