package cn.xinqiao.platform.retention;

import java.util.List;

/** A service's retention schedule: one bean per service lists its rules (the platform adds the audit log's). */
public interface RetentionRules {
    List<RetentionRule> rules();
}
