package cn.xinqiao.reporting.domain;

import java.util.List;

/** Risk levels of ARCHITECTURE §6, ranked so "the highest level wins" is a max. */
public enum Risk {
    NONE("无风险", "None"), LOW("低", "Low"), MODERATE("中", "Moderate"), HIGH("高", "High"), CRITICAL("危急", "Critical");

    public final String zh;
    public final String en;

    Risk(String zh, String en) {
        this.zh = zh;
        this.en = en;
    }

    public int rank() {
        return ordinal();
    }

    public static Risk ofRank(int rank) {
        return values()[rank];
    }

    public static final List<Risk> ALL = List.of(values());
}
