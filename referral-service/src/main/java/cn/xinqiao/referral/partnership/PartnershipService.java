package cn.xinqiao.referral.partnership;

import cn.xinqiao.platform.audit.AuditTrail;
import cn.xinqiao.platform.problem.Problem;
import cn.xinqiao.referral.domain.Route;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
        static PartnershipView of(Partnership p) {
            return new PartnershipView(p.scope, p.code, p.hospitalId, p.backupHospitalId, p.updatedBy, p.updatedAt);
        }
    }

    @Inject
    AuditTrail audit;

    @Inject
    cn.xinqiao.platform.outbox.Outbox outbox;

    public static final String HOSPITALS_TOPIC = "directory.hospitals.v1";

    /** directory.hospitals.v1: who a hospital id is, for reports (no people, no phone numbers). */
    public record HospitalEvent(String hospitalId, String name, String districtCode, OffsetDateTime updatedAt) {
    }

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
        outbox.publish(HOSPITALS_TOPIC, id, "cn.xinqiao.directory.hospital.v1", id,
                new HospitalEvent(id, name, districtCode, hospital.updatedAt));
        audit.record(AuditTrail.Action.UPDATE, "hospital", id, null, "hospital directory");
        return hospital;
    }

    /** scope is {@code school} (code = school id) or {@code county} (code = district code); the caller checked the code's form. */
    public PartnershipView set(String scope, String code, String hospitalId, String backupHospitalId, String actor) {
        for (String h : backupHospitalId == null ? List.of(hospitalId) : List.of(hospitalId, backupHospitalId)) {
            if (Hospital.findById(h) == null) {
                throw Problem.unprocessable("unknown-hospital", "hospital " + h + " is not in the directory");
            }
        }
        if (hospitalId.equals(backupHospitalId)) {
            throw Problem.unprocessable("backup-equals-partner", "the backup hospital must differ from the partner");
        }
        Partnership p = Partnership.findById(code);
        if (p == null) {
            p = new Partnership();
            p.code = code;
        }
        p.scope = scope;
        p.hospitalId = hospitalId;
        p.backupHospitalId = backupHospitalId;
        p.updatedBy = actor;
        p.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        p.persist();
        audit.record(AuditTrail.Action.UPDATE, scope + "-partnership", code, scope.equals("school") ? code : null,
                "partner " + hospitalId + (backupHospitalId == null ? "" : ", backup " + backupHospitalId));
        return PartnershipView.of(p);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<PartnershipView> find(String code) {
        return Partnership.<Partnership>findByIdOptional(code).map(PartnershipView::of);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PartnershipView> all() {
        return Partnership.<Partnership>listAll(Sort.by("scope").and("code")).stream().map(PartnershipView::of).toList();
    }

    /** The route for a school of a county (school partnership first, then the county's default). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Route> routeFor(String schoolId, String districtCode) {
        return Route.resolve(find(schoolId).map(p -> new Route.Partnership(p.hospitalId(), p.backupHospitalId())),
                find(districtCode).map(p -> new Route.Partnership(p.hospitalId(), p.backupHospitalId())));
    }
}
