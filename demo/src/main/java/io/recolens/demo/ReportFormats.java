package io.recolens.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recolens.stats.ExperimentAnalysis;
import io.recolens.stats.SampleRatio;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as text, Markdown and JSON (the HTML page is {@link HtmlReport}); SRM comes first in each. */
final class ReportFormats {
    private ReportFormats() {}

    static String render(ExperimentReport.Data data, String format) {
        return switch (format) {
            case "text" -> text(data, false);
            case "markdown" -> text(data, true);
            case "json" -> json(data);
            case "html" -> HtmlReport.render(data);
            default -> throw new IllegalArgumentException("unknown --format '" + format + "': text, markdown, json or html");
        };
    }

    /** The JSON document: srm, metrics (one object per metric and variant), guardrails, anomalies, settings. */
    static Map<String, Object> document(ExperimentReport.Data d) {
        ExperimentAnalysis.Result a = d.analysis();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("experiment", d.options().experiment());
        doc.put("computed_at", d.computedAt().toString());
        doc.put("from", d.options().from() == null ? null : d.options().from().toString());
        doc.put("to", d.options().to() == null ? null : d.options().to().toString());
        doc.put("control", a.control());
        doc.put("days", d.days().stream().map(Object::toString).toList());
        Map<String, Object> srm = new LinkedHashMap<>();
        srm.put("chi2", num(a.srm().chi2()));
        srm.put("p_value", num(a.srm().pValue()));
        srm.put("mismatch", a.srm().mismatch());
        srm.put("threshold", SampleRatio.FLAG_P);
        srm.put("units", a.units());
        doc.put("srm", srm);
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (ExperimentAnalysis.MetricResult m : a.metrics()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("metric", m.metric());
            o.put("variant", m.variant());
            o.put("control", m.control());
            o.put("value", num(m.value()));
            o.put("control_value", num(m.controlValue()));
            o.put("absolute_lift", num(m.absoluteLift()));
            o.put("absolute_ci", pair(m.absoluteCi()));
            o.put("relative_lift", num(m.relativeLift()));
            o.put("relative_ci", pair(m.relativeCi()));
            o.put("p_value", num(m.pValue()));
            o.put("adjusted_p_value", num(m.adjustedPValue()));
            o.put("always_valid_p_value", num(m.alwaysValidPValue()));
            o.put("always_valid_ci", pair(m.alwaysValidCi()));
            o.put("units", m.units());
            o.put("control_units", m.controlUnits());
            o.put("test", m.test());
            o.put("cuped_applied", m.cupedApplied());
            o.put("cuped_theta", num(m.cupedTheta()));
            o.put("variance_reduction", num(m.varianceReduction()));
            o.put("significant", m.adjustedPValue() < 0.05);
            metrics.add(o);
        }
        doc.put("metrics", metrics);
        List<Map<String, Object>> guardrails = new ArrayList<>();
        for (ExperimentReport.Guardrail g : d.guardrails()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("service", g.service());
            o.put("metric", g.metric());
            o.put("variant", g.variant());
            o.put("control", g.control());
            o.put("value", num(g.value()));
            o.put("control_value", num(g.controlValue()));
            o.put("difference", num(g.difference()));
            o.put("difference_ci", pair(new double[] {g.low(), g.high()}));
            o.put("p_value", num(g.pValue()));
            o.put("n", g.n());
            o.put("control_n", g.controlN());
            o.put("regression", g.regression());
            o.put("always_valid_p_value", num(g.alwaysValidP()));
            o.put("always_valid_relative_ci", pair(new double[] {g.alwaysValidLow(), g.alwaysValidHigh()}));
            o.put("alert", g.alert());
            guardrails.add(o);
        }
        doc.put("guardrails", guardrails);
        doc.put("anomalies", d.anomalies());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("alpha", 0.05);
        settings.put("msprt_tau", d.options().tau());
        settings.put("guardrail_margin", d.options().margin());
        settings.put("cuped_pre_exposure_days", d.options().preDays());
        settings.put("units_with_pre_exposure_period", d.preExposureUnits());
        settings.put("cuped", "theta pooled over variants");
        doc.put("settings", settings);
        return doc;
    }

    static String json(ExperimentReport.Data d) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document(d)) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The console summary, or the same as Markdown tables. */
    static String text(ExperimentReport.Data d, boolean markdown) {
        ExperimentAnalysis.Result a = d.analysis();
        StringBuilder out = new StringBuilder();
        String range = (d.options().from() == null ? "start" : d.options().from().toString()) + " .. "
                + (d.options().to() == null ? "end" : d.options().to().toString());
        out.append(markdown ? "# " : "").append("Experiment ").append(d.options().experiment()).append(" (").append(range)
                .append(", control ").append(a.control()).append(")\n\n");
        out.append(markdown ? "## " : "").append("Sample ratio: ")
                .append(a.srm().mismatch() ? "MISMATCH" : "ok")
                .append(String.format(Locale.ROOT, " (chi2 %.3f, p %s; units %s)%n%n", a.srm().chi2(), p(a.srm().pValue()), a.units()));
        out.append(markdown ? "## Metrics\n\n" : "Metrics (95% intervals; p adjusted by Benjamini-Hochberg; always valid: mSPRT, tau "
                + d.options().tau() + ")\n");
        table(out, markdown, List.of("metric", "variant", "value", "control", "relative lift", "95% CI", "p", "p adj", "always-valid CI", "units", ""),
                a.metrics().stream().map(m -> List.of(m.metric(), m.variant(), f4(m.value()), f4(m.controlValue()), pct(m.relativeLift()),
                        "[" + pct(m.relativeCi()[0]) + ", " + pct(m.relativeCi()[1]) + "]", p(m.pValue()), p(m.adjustedPValue()),
                        "[" + pct(m.alwaysValidCi()[0]) + ", " + pct(m.alwaysValidCi()[1]) + "]", m.units() + "/" + m.controlUnits(),
                        (m.adjustedPValue() < 0.05 ? "significant" : "") + (m.cupedApplied() ? " cuped" : ""))).toList());
        out.append(markdown ? "\n## Guardrails\n\n" : "\nGuardrails per service (differences against control, 95% intervals)\n");
        table(out, markdown, List.of("service", "guardrail", "variant", "value", "control", "difference", "95% CI", ""),
                d.guardrails().stream().map(g -> List.of(g.service(), g.metric(), g.variant(), f4(g.value()), f4(g.controlValue()),
                        f4(g.difference()), "[" + f4(g.low()) + ", " + f4(g.high()) + "]",
                        (g.regression() ? "REGRESSION" : "") + (g.alert() ? " ALERT (always valid)" : ""))).toList());
        if (!d.anomalies().isEmpty()) {
            out.append(markdown ? "\n## Anomalies\n\n" : "\nAnomalies (lineage_anomalies) by kind and variant\n");
            List<List<String>> rows = new ArrayList<>();
            d.anomalies().forEach((kind, byVariant) -> byVariant.forEach((v, n) -> rows.add(List.of(kind, v, Long.toString(n)))));
            table(out, markdown, List.of("kind", "variant", "findings"), rows);
        }
        out.append(String.format(Locale.ROOT, "%nCUPED: %s%n", d.preExposureUnits() == 0
                ? "not applied (no unit has a pre-exposure period in the " + d.options().preDays() + " days before its first exposure)"
                : "applied where every variant has units with a pre-exposure period (" + d.preExposureUnits() + " units); theta pooled over variants"));
        return out.toString();
    }

    private static void table(StringBuilder out, boolean markdown, List<String> header, List<List<String>> rows) {
        if (markdown) {
            out.append("| ").append(String.join(" | ", header)).append(" |\n|");
            header.forEach(h -> out.append("---|"));
            out.append('\n');
            rows.forEach(r -> out.append("| ").append(String.join(" | ", r)).append(" |\n"));
            return;
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(1, header.get(i).length());
            for (List<String> r : rows) width[i] = Math.max(width[i], r.get(i).length());
        }
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            out.append(' ');
            for (int i = 0; i < r.size(); i++) out.append(' ').append(String.format("%-" + width[i] + "s", r.get(i)));
            out.append('\n');
        }
    }

    static Object num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static List<Object> pair(double[] v) {
        List<Object> out = new ArrayList<>();
        out.add(num(v[0]));
        out.add(num(v[1]));
        return out;
    }

    static String f4(double v) {
        if (Double.isNaN(v)) return "-";
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    static String pct(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%+.2f%%", 100 * v);
    }

    static String p(double v) {
        if (Double.isNaN(v)) return "-";
        return v < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", v);
    }
}
