package cn.xinqiao.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static cn.xinqiao.e2e.Endpoints.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's authorization matrix, generated from the services' own OpenAPI documents (Quarkus writes each
 * operation's {@code @RolesAllowed} into its security requirement): every endpoint × every demo user (each role,
 * with its school / county / hospital) × own or other tenant, plus no token, an expired token, a token for another
 * audience, a tampered signature and a student's session token. The expectation is computed, not listed by hand:
 * allowed iff the operation is public, or the caller holds one of its roles and the caller's tenancy covers the
 * request's (the school, county or hospital its parameters or the resource it names belong to). A leak is an
 * expected denial that answered 2xx; an over-denial is an expected allowance that answered 401/403. Both must be 0,
 * and nothing may answer 5xx. Changes are sent with a broken body, so an allowed change stops at validation.
 */
class AuthorizationMatrixIT {

    @BeforeAll
    static void up() throws Exception {
        Stack.get();
    }

    @Test
    void everyEndpointTimesEveryRoleAndTenantAnswersAsItsRolesAndTenancySay() throws Exception {
        List<Operation> operations = operations();
        List<Principal> users = users();
        fixtures();

        int size = 0;
        int allowedExpected = 0;
        int notSent = 0;
        List<String> leaks = new ArrayList<>();
        List<String> overDenied = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        for (Operation op : operations) {
            for (String kind : kinds(op)) {
                List<String> roles = kind == null ? op.roles() : REPORT_ROLES.get(kind);
                for (Principal p : users) {
                    for (Tenant tenant : List.of(A, B)) {
                        Request r = request(op, kind, p, tenant);
                        boolean validHere = p.role() != null && (!p.role().equals("student") || op.service().equals("screening-service"));
                        boolean expected = op.isPublic()
                                || (validHere && (roles.isEmpty() || roles.contains(p.role())) && p.covers(r.target()));
                        size++;
                        if (expected) {
                            allowedExpected++;
                        }
                        if (expected && !op.method().equals("GET") && !op.hasBody() && !r.path().matches(".*/" + UUID_RE + "(/.*)?")) {
                            notSent++; // an allowed action without a body to invalidate (start a rebuild, issue codes): not fired
                            continue;
                        }
                        int status = r.send(p.token());
                        String line = op.method() + " " + r.path() + " as " + p.name() + " (" + tenant.name() + ") -> " + status;
                        statuses.merge((expected ? "allowed " : "denied ") + status, 1, Integer::sum);
                        if (status >= 500) {
                            errors.add(line);
                        } else if (!expected && status < 300) {
                            leaks.add(line);
                        } else if (expected && (status == 401 || status == 403)) {
                            overDenied.add(line);
                        }
                    }
                }
            }
        }
        System.out.printf("authorization matrix: %d operations, %d cases (%d users and token variants x own/other tenant); "
                        + "expected allowed %d, denied %d; not sent %d; leaks: %d, over-denied: %d, 5xx: %d%n",
                operations.size(), size, users.size(), allowedExpected, size - allowedExpected, notSent, leaks.size(), overDenied.size(),
                errors.size());
        System.out.println("  answers by expectation: " + statuses);
        leaks.forEach(l -> System.out.println("  LEAK " + l));
        overDenied.forEach(l -> System.out.println("  OVER-DENIED " + l));
        errors.forEach(l -> System.out.println("  5xx " + l));
        assertTrue(operations.size() >= 60, "the OpenAPI documents list every endpoint: " + operations.size());
        assertTrue(allowedExpected > 200 && size - allowedExpected > 1000, "both sides of the matrix are exercised");
        assertEquals(List.of(), leaks, "no denied request may succeed");
        assertEquals(List.of(), overDenied, "every allowed request reaches the service");
        assertEquals(List.of(), errors, "never a 5xx");
    }
}
