package cn.xinqiao.screening.casework;

import cn.xinqiao.screening.domain.Procedure;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** This deployment's standard procedure, read once from {@code procedures/<xinqiao.procedure>.json}. */
@ApplicationScoped
public class ProcedureCatalog {

    private final Procedure procedure;

    public ProcedureCatalog(@ConfigProperty(name = "xinqiao.procedure", defaultValue = "default") String name) {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("procedures/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("procedure file procedures/" + name + ".json is missing");
            }
            procedure = json.readValue(in, Procedure.class);
        } catch (IOException e) {
            throw new UncheckedIOException("procedure " + name + " is not valid", e);
        }
    }

    public Procedure procedure() {
        return procedure;
    }
}
