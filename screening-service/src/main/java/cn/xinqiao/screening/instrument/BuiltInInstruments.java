package cn.xinqiao.screening.instrument;

import cn.xinqiao.screening.domain.Instrument;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The instruments that ship with the platform ({@code instruments/<name>.json}), published at every start. */
public final class BuiltInInstruments {

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Map<String, Instrument> byId = new LinkedHashMap<>();

    public BuiltInInstruments(List<String> files) {
        for (String file : files) {
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("instruments/" + file + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("instrument file instruments/" + file + ".json is missing");
                }
                Instrument instrument = JSON.readValue(in, Instrument.class);
                byId.put(instrument.id(), instrument);
            } catch (IOException e) {
                throw new UncheckedIOException("instrument " + file + " is not valid", e);
            }
        }
    }

    public List<Instrument> all() {
        return List.copyOf(byId.values());
    }

    public Optional<Instrument> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
