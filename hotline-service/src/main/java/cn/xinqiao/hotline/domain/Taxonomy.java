package cn.xinqiao.hotline.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The two-level call categories (taxonomy.json, modelled on Child Helpline International's framework). A call
 * records codes {@code parent} or {@code parent.child}, e.g. {@code mental-health.suicidal-thoughts}.
 */
public final class Taxonomy {

    private final JsonNode tree;
    private final Set<String> codes;

    private Taxonomy(JsonNode tree) {
        this.tree = tree;
        Set<String> all = new LinkedHashSet<>();
        for (JsonNode parent : tree.path("categories")) {
            String p = parent.path("id").asText();
            all.add(p);
            for (JsonNode child : parent.path("children")) {
                all.add(p + "." + child.path("id").asText());
            }
        }
        this.codes = Set.copyOf(all);
    }

    public static Taxonomy load(InputStream json) throws IOException {
        return new Taxonomy(new ObjectMapper().readTree(json));
    }

    public boolean contains(String code) {
        return codes.contains(code);
    }

    public Set<String> codes() {
        return codes;
    }

    public JsonNode tree() {
        return tree;
    }
}
