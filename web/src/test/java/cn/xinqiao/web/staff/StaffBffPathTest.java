package cn.xinqiao.web.staff;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The BFF forwards only plain paths under a service's /api/: nothing a second decoding could turn into a way out. */
class StaffBffPathTest {

    @Test
    void thePagesOwnPathsPass() {
        for (String path : List.of("schools/S370811001/risk-queue", "schools/S370811001/students/0010005/care-record",
                "referrals/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d/transitions", "instruments/PHQ-A", "reports/care-loop/export",
                "calls/follow-ups", "referrals/returns", "me")) {
            assertTrue(StaffBff.safePath(path), path);
        }
    }

    @Test
    void traversalsAndEncodedSeparatorsAreRefused() {
        for (String path : List.of("..", "../q/metrics", "a/../../q/health", "%2e%2e/q/metrics", "%252e%252e/q/openapi",
                "schools%2F..%2F..%2Fq%2Fmetrics", ".hidden", "a//b", "", "a/", "a\\..\\b", "a b", "a;jsessionid=1", "学校")) {
            assertFalse(StaffBff.safePath(path), path);
        }
    }
}
