package cn.xinqiao.screening.roster;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/** A rostered student: the only place (with the hospital topic) where a student's identity lives. */
@Entity
@Table(name = "student")
public class Student extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "school_id")
    public String schoolId;
    @Column(name = "student_number")
    public String studentNumber;
    @Column(name = "student_key")
    public String studentKey;
    public String name;
    public String sex;
    @Column(name = "birth_date")
    public LocalDate birthDate;
    public int grade;
    @Column(name = "class_name")
    public String className;
    @Column(name = "guardian_name")
    public String guardianName;
    @Column(name = "guardian_phone")
    public String guardianPhone;
    /** The keyed hash of the national student registration number (全国学籍号); never the number itself. */
    @Column(name = "national_key")
    public String nationalKey;

    public static Optional<Student> bySchoolNumber(String schoolId, String studentNumber) {
        return find("schoolId = ?1 and studentNumber = ?2", schoolId, studentNumber.trim().toUpperCase(java.util.Locale.ROOT))
                .firstResultOptional();
    }
}
