package cn.xinqiao.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo city's on-call lists and contact preferences (notification-service): who is told first at each hospital,
 * school with staff, bureau and the hotline (whose people on shift come first), and every demo user's e-mail, which
 * the local SMTP server receives.
 */
final class DemoOnCall {

    /** One PUT: as the loader ({@code user} null) or as a demo user (their own contact preferences). */
    @FunctionalInterface
    interface Put {
        void put(String url, Map<String, ?> body, String user) throws Exception;
    }

    static final Map<String, Map<String, Object>> ROTAS = new LinkedHashMap<>();

    static {
        ROTAS.put("H370800001", Map.of("contacts", List.of(Map.of("username", "clinician.h1"), Map.of("username", "clinician.h1b")), "lead", "lead.h1"));
        ROTAS.put("H370800002", Map.of("contacts", List.of(Map.of("username", "clinician.h2"))));
        ROTAS.put("S370811001", Map.of("contacts", List.of(Map.of("username", "counselor.jn1")), "lead", "admin.jn1"));
        ROTAS.put("S370812001", Map.of("contacts", List.of(Map.of("username", "counselor.yz1"))));
        ROTAS.put("370800", Map.of("contacts", List.of(Map.of("username", "analyst.city"))));
        ROTAS.put("370811", Map.of("contacts", List.of(Map.of("username", "analyst.rc"))));
        ROTAS.put("370812", Map.of("contacts", List.of(Map.of("username", "analyst.yz"))));
        ROTAS.put("HL370800", Map.of("contacts", List.of(), "lead", "supervisor.hl")); // the people on shift come first
    }

    static final List<String> PEOPLE = List.of("clinician.h1", "clinician.h1b", "lead.h1", "clinician.h2", "counselor.jn1", "admin.jn1",
            "counselor.yz1", "analyst.city", "analyst.rc", "analyst.yz", "supervisor.hl", "operator.hl");

    private DemoOnCall() {
    }

    static void load(String notification, Put put) throws Exception {
        for (var rota : ROTAS.entrySet()) {
            put.put(notification + "/api/on-call/" + rota.getKey(), rota.getValue(), null);
        }
        for (String user : PEOPLE) {
            put.put(notification + "/api/me/contact-preferences", Map.of("email", user + "@demo.xinqiao.cn", "channels", List.of("EMAIL")), user);
        }
    }
}
