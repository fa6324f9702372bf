package cn.xinqiao.referral.service;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.referral.domain.Route;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Hospitals and partnerships; every change is audited. */
@ApplicationScoped
@Transactional
public class PartnershipService {

    public record PartnershipView(String scope, String code, String hospitalId, String backupHospitalId,
                                  String updatedBy, OffsetDateTime updatedAt) {
    }

    @Inject
    EntityManager em;

    @Inject
    AuditTrail audit;

    public Hospital upsertHospital(String id, String name, String districtCode, String phone) {
        Hospital hospital = Hospital.findById(id);
        if (hospital == null) {
            hospital = new Hospital();
            hospital.id = id;
        }
        hospital.name = name;
        hospital.districtCode = districtCode;
        hospital.greenChannelPhone = phone;
        hospital.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        hospital.persist();
        audit.record(AuditTrail.Action.UPDATE, "hospital", id, null, "hospital directory");
        return hospital;
    }

    /** scope is {@code school} (code = school id) or {@code county} (code = district code). */
    public PartnershipView set(String scope, String code, String hospitalId, String backupHospitalId, String actor) {
        for (String h : backupHospitalId == null ? List.of(hospitalId) : List.of(hospitalId, backupHospitalId)) {
            if (Hospital.findById(h) == null) {
                throw Problem.unprocessable("unknown-hospital", "hospital " + h + " is not in the directory");
            }
        }
        if (hospitalId.equals(backupHospitalId)) {
            throw Problem.unprocessable("backup-equals-partner", "the backup hospital must differ from the partner");
        }
        String table = table(scope);
        String key = scope.equals("school") ? "school_id" : "district_code";
        em.createNativeQuery("insert into " + table + " (" + key + ", hospital_id, backup_hospital_id, updated_by, updated_at) "
                        + "values (?1, ?2, ?3, ?4, now()) on conflict (" + key + ") do update set hospital_id = excluded.hospital_id, "
                        + "backup_hospital_id = excluded.backup_hospital_id, updated_by = excluded.updated_by, updated_at = now()")
                .setParameter(1, code).setParameter(2, hospitalId).setParameter(3, backupHospitalId).setParameter(4, actor)
                .executeUpdate();
        audit.record(AuditTrail.Action.UPDATE, scope + "-partnership", code, scope.equals("school") ? code : null,
                "partner " + hospitalId + (backupHospitalId == null ? "" : ", backup " + backupHospitalId));
        return find(scope, code).orElseThrow();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<PartnershipView> find(String scope, String code) {
        String key = scope.equals("school") ? "school_id" : "district_code";
        List<Tuple> rows = em.createNativeQuery("select " + key + " as code, hospital_id, backup_hospital_id, updated_by, updated_at from "
                + table(scope) + " where " + key + " = ?1", Tuple.class).setParameter(1, code).getResultList();
        return rows.stream().findFirst().map(t -> view(scope, t));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PartnershipView> all() {
        List<PartnershipView> out = new java.util.ArrayList<>();
        for (String scope : List.of("county", "school")) {
            String key = scope.equals("school") ? "school_id" : "district_code";
            List<Tuple> rows = em.createNativeQuery("select " + key + " as code, hospital_id, backup_hospital_id, updated_by, updated_at from "
                    + table(scope) + " order by 1", Tuple.class).getResultList();
            rows.forEach(t -> out.add(view(scope, t)));
        }
        return out;
    }

    /** The route for a school of a county (school partnership first, then the county's default). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Route> routeFor(String schoolId, String districtCode) {
        return Route.resolve(find("school", schoolId).map(p -> new Route.Partnership(p.hospitalId(), p.backupHospitalId())),
                find("county", districtCode).map(p -> new Route.Partnership(p.hospitalId(), p.backupHospitalId())));
    }

    private static String table(String scope) {
        return switch (scope) {
            case "school" -> "school_partnership";
            case "county" -> "county_partnership";
            default -> throw Problem.notFound("partnership scope");
        };
    }

    private static PartnershipView view(String scope, Tuple t) {
        Object at = t.get("updated_at");
        OffsetDateTime updated = at instanceof java.time.Instant i ? i.atOffset(ZoneOffset.UTC)
                : at instanceof OffsetDateTime o ? o : at instanceof java.sql.Timestamp ts ? ts.toInstant().atOffset(ZoneOffset.UTC) : null;
        return new PartnershipView(scope, (String) t.get("code"), (String) t.get("hospital_id"),
                (String) t.get("backup_hospital_id"), (String) t.get("updated_by"), updated);
    }
}
