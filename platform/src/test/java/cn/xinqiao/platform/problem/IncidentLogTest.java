package cn.xinqiao.platform.problem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncidentLogTest {

    @Test
    void incidentLogKeepsTypesAndFramesButNoMessages() {
        Exception e = new IllegalStateException("student 张三 guardian 13800000000",
                new IllegalArgumentException("birth date 2009-03-04"));
        String logged = ProblemMappers.withoutMessages(e);
        assertTrue(logged.contains("java.lang.IllegalStateException"), logged);
        assertTrue(logged.contains("caused by: java.lang.IllegalArgumentException"), logged);
        assertTrue(logged.contains("IncidentLogTest"), logged);
        assertFalse(logged.contains("张三") || logged.contains("13800000000") || logged.contains("2009-03-04"), logged);
    }
}
