package cn.xinqiao.screening.domain;

import java.util.List;

/** What an instrument's own rules say about one set of answers (before any risk policy). */
public record Score(String instrumentId, String instrumentVersion, int total, String band, List<String> criticalItems) {

    public boolean hasCriticalItem() {
        return !criticalItems.isEmpty();
    }
}
