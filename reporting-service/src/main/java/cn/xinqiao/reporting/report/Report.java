package cn.xinqiao.reporting.report;

import cn.xinqiao.reporting.domain.Table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What every report endpoint answers and every export writes: the area, the filters that made it,
 * and its tables, already suppressed. Never a student's identity.
 */
public record Report(String kind, String title, String level, String code, String name, Map<String, String> filters,
                     OffsetDateTime generatedAt, List<Table> tables, List<String> notes) {
}
