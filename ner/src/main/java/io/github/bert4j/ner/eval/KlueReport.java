package io.github.bert4j.ner.eval;

import java.util.Map;

/**
 * KLUE NER metrics of one evaluation, all as fractions in [0, 1], and the calibration of the
 * predicted entities' scores. See {@link KlueMetrics} for the exact definitions.
 *
 * @param reliability predicted entity score against observed precision ({@link Reliability})
 */
public record KlueReport(double entityMacroF1, double entityMicroF1, double charMacroF1, double charMacroF1WithO,
        double tokenMicroF1, double tokenMacroF1, Map<String, Prf> perType, int sentences, Reliability reliability) {

    public KlueReport {
        perType = Map.copyOf(new java.util.TreeMap<>(perType));
        java.util.Objects.requireNonNull(reliability, "reliability");
    }

    /** Metrics by name ({@code entity_macro_f1}, ...), for trackers and evaluators. */
    public Map<String, Double> asMetrics() {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("entity_macro_f1", entityMacroF1);
        m.put("entity_micro_f1", entityMicroF1);
        m.put("char_macro_f1", charMacroF1);
        m.put("char_macro_f1_with_o", charMacroF1WithO);
        m.put("token_micro_f1", tokenMicroF1);
        m.put("token_macro_f1", tokenMacroF1);
        return m;
    }

    /**
     * One JSON object: {@code {"entity_macro_f1":..,"entity_micro_f1":..,"char_macro_f1":..,
     * "char_macro_f1_with_o":..,"token_micro_f1":..,"token_macro_f1":..,"per_type":{"PS":
     * {"precision":..,"recall":..,"f1":..,"support":..},..},"sentences":N,"reliability":{..}}}
     * ({@link Reliability#toJson()}).
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        asMetrics().forEach((k, v) -> sb.append('"').append(k).append("\":").append(num(v)).append(','));
        sb.append("\"per_type\":{");
        boolean first = true;
        for (var e : new java.util.TreeMap<>(perType).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            Prf p = e.getValue();
            sb.append('"').append(e.getKey()).append("\":{\"precision\":").append(num(p.precision()))
                    .append(",\"recall\":").append(num(p.recall())).append(",\"f1\":").append(num(p.f1()))
                    .append(",\"support\":").append(p.support()).append('}');
        }
        sb.append("},\"sentences\":").append(sentences).append(",\"reliability\":").append(reliability.toJson()).append('}');
        return sb.toString();
    }

    private static String num(double v) {
        return Reliability.num(v);
    }
}
