package cn.xinqiao.notification.directory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/** Schools' and hospitals' names from the compacted directory topics; a bureau or hotline is named from its code. */
@ApplicationScoped
public class OrgNames {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void upsert(String orgId, String kind, String name, String districtCode, OffsetDateTime updatedAt) {
        em.createNativeQuery("""
                        insert into org_directory (org_id, kind, name, district_code, updated_at) values (?1, ?2, ?3, ?4, ?5)
                        on conflict (org_id) do update set name = excluded.name, district_code = excluded.district_code,
                            updated_at = excluded.updated_at where org_directory.updated_at <= excluded.updated_at""")
                .setParameter(1, orgId).setParameter(2, kind).setParameter(3, name).setParameter(4, districtCode)
                .setParameter(5, updatedAt).executeUpdate();
    }

    /** The name a message uses: the directory's, else a description from the id (never empty). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String name(String orgId) {
        if (orgId == null) {
            return "未知单位";
        }
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("select name from org_directory where org_id = ?1").setParameter(1, orgId).getResultList();
        if (!names.isEmpty()) {
            return names.get(0);
        }
        if (orgId.startsWith("HL")) {
            return "心理热线（" + orgId.substring(2) + "）";
        }
        if (orgId.matches("\\d{6}")) {
            return "教育局（" + orgId + "）";
        }
        return orgId;
    }
}
