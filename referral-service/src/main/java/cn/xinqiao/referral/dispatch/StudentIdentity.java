package cn.xinqiao.referral.dispatch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What the hospital needs (birth date as ISO yyyy-MM-dd) to see the student, as screening-service's roster holds it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StudentIdentity(String studentKey, String schoolId, String schoolName, String studentNumber, String name,
                              String sex, String birthDate, Integer grade, String className, String guardianName,
                              String guardianPhone) {
}
