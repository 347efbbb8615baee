package io.recolens.demo;

import io.recolens.model.ExponentialHistogram;
import io.recolens.stats.ExperimentAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no fonts or images from the network,
 * so it opens anywhere offline. Plots: CTR per variant with intervals over time, latency distribution (CDF) per
 * service per variant; tables: SRM status, metrics, guardrails, anomalies.
 */
final class HtmlReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

    private HtmlReport() {}

    static String render(ExperimentReport.Data d) {
        ExperimentAnalysis.Result a = d.analysis();
        List<String> variants = new ArrayList<>(a.units().keySet());
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>recolens report: ").append(esc(d.options().experiment())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}")
                .append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.bad{background:#fde2e2}.good{background:#e2f5e2}")
                .append(".status{padding:8px 12px;border-radius:4px;display:inline-block;font-weight:600}")
                .append("svg{background:#fff;border:1px solid #ddd;margin:4px}.plots{display:flex;flex-wrap:wrap}")
                .append("svg text{font-size:11px;font-family:system-ui,sans-serif}")
                .append("</style></head><body>\n");
        h.append("<h1>Experiment ").append(esc(d.options().experiment())).append("</h1>\n<p>Computed ")
                .append(esc(d.computedAt().toString())).append("; days ").append(esc(d.days().get(0).toString())).append(" to ")
                .append(esc(d.days().get(d.days().size() - 1).toString())).append("; control <b>").append(esc(a.control()))
                .append("</b>. Definitions: docs/statistics.md.</p>\n");

        h.append("<h2>Sample ratio</h2>\n<p id=\"srm\" class=\"status ").append(a.srm().mismatch() ? "bad" : "good").append("\">")
                .append(a.srm().mismatch() ? "Sample-ratio mismatch: do not trust the results below" : "No sample-ratio mismatch")
                .append(String.format(Locale.ROOT, " (&chi;&sup2; = %.3f, p = %s)", a.srm().chi2(), ReportFormats.p(a.srm().pValue())))
                .append("</p>\n<table><tr><th class=\"l\">variant</th><th>units</th></tr>");
        a.units().forEach((v, n) -> h.append("<tr><td class=\"l\">").append(esc(v)).append("</td><td>").append(n).append("</td></tr>"));
        h.append("</table>\n");

        h.append("<h2>Metrics</h2>\n<table id=\"metrics\"><tr><th class=\"l\">metric</th><th class=\"l\">variant</th><th>value</th><th>control</th>")
                .append("<th>relative lift</th><th>95% CI</th><th>p</th><th>p (BH)</th><th>always-valid CI</th><th>units</th></tr>\n");
        for (ExperimentAnalysis.MetricResult m : a.metrics()) {
            boolean significant = m.adjustedPValue() < 0.05;
            h.append("<tr class=\"").append(significant ? "good" : "").append("\"><td class=\"l\">").append(esc(m.metric()))
                    .append("</td><td class=\"l\">").append(esc(m.variant())).append("</td><td>").append(ReportFormats.f4(m.value()))
                    .append("</td><td>").append(ReportFormats.f4(m.controlValue())).append("</td><td>").append(ReportFormats.pct(m.relativeLift()))
                    .append("</td><td>[").append(ReportFormats.pct(m.relativeCi()[0])).append(", ").append(ReportFormats.pct(m.relativeCi()[1]))
                    .append("]</td><td>").append(ReportFormats.p(m.pValue())).append("</td><td>").append(ReportFormats.p(m.adjustedPValue()))
                    .append("</td><td>[").append(ReportFormats.pct(m.alwaysValidCi()[0])).append(", ").append(ReportFormats.pct(m.alwaysValidCi()[1]))
                    .append("]</td><td>").append(m.units()).append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>CTR per variant over time</h2>\n<p>Cumulative clicks per impression at the end of each day, with its 95% interval.</p>\n");
        ctrPlot(h, a.ctrOverTime(), variants, d);

        h.append("<h2>Latency per service</h2>\n<p>Cumulative distribution of span latency (log scale) per variant, from the "
                + "exponential histograms (&le; 0.55% relative error); the dot marks p95.</p>\n<div class=\"plots\">\n");
        for (Map.Entry<String, Map<String, ExponentialHistogram>> s : d.latency().entrySet()) {
            latencyPlot(h, s.getKey(), s.getValue(), variants);
        }
        h.append("</div>\n");

        h.append("<h2>Guardrails</h2>\n<table id=\"guardrails\"><tr><th class=\"l\">service</th><th class=\"l\">guardrail</th>")
                .append("<th class=\"l\">variant</th><th>value</th><th>control</th><th>difference</th><th>95% CI</th><th class=\"l\"></th></tr>\n");
        for (ExperimentReport.Guardrail g : d.guardrails()) {
            h.append("<tr class=\"").append(g.regression() ? "bad" : "").append("\"><td class=\"l\">").append(esc(g.service()))
                    .append("</td><td class=\"l\">").append(esc(g.metric())).append("</td><td class=\"l\">").append(esc(g.variant()))
                    .append("</td><td>").append(ReportFormats.f4(g.value())).append("</td><td>").append(ReportFormats.f4(g.controlValue()))
                    .append("</td><td>").append(ReportFormats.f4(g.difference())).append("</td><td>[").append(ReportFormats.f4(g.low()))
                    .append(", ").append(ReportFormats.f4(g.high())).append("]</td><td class=\"l\">").append(g.regression() ? "regression" : "")
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Anomalies</h2>\n");
        if (d.anomalies().isEmpty()) {
            h.append("<p id=\"anomalies\">None in the range.</p>\n");
        } else {
            h.append("<table id=\"anomalies\"><tr><th class=\"l\">kind</th><th class=\"l\">variant</th><th>findings</th></tr>\n");
            d.anomalies().forEach((kind, byVariant) -> byVariant.forEach((v, n) -> h.append("<tr><td class=\"l\">").append(esc(kind))
                    .append("</td><td class=\"l\">").append(esc(v)).append("</td><td>").append(n).append("</td></tr>\n")));
            h.append("</table>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void ctrPlot(StringBuilder h, Map<String, List<ExperimentAnalysis.Point>> series, List<String> variants,
            ExperimentReport.Data d) {
        int w = 640;
        int ht = 300;
        int left = 60;
        int right = 130;
        int top = 15;
        int bottom = 35;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (List<ExperimentAnalysis.Point> points : series.values()) {
            for (ExperimentAnalysis.Point p : points) {
                if (Double.isFinite(p.low())) lo = Math.min(lo, p.low());
                if (Double.isFinite(p.high())) hi = Math.max(hi, p.high());
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        double pad = (hi - lo) * 0.1 + 1e-9;
        lo -= pad;
        hi += pad;
        int days = d.days().size();
        h.append("<svg class=\"ctr-over-time\" width=\"").append(w).append("\" height=\"").append(ht)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht).append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
        axes(h, left, top, w - right, ht - bottom);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            double y = y(v, lo, hi, top, ht - bottom);
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f%%</text>", left - 4, y + 4, 100 * v));
        }
        for (int day = 0; day < days; day++) {
            double x = x(day, days, left, w - right);
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, ht - bottom + 16,
                    esc(d.days().get(day).toString().substring(5))));
        }
        for (Map.Entry<String, List<ExperimentAnalysis.Point>> s : series.entrySet()) {
            String color = COLORS[Math.max(0, variants.indexOf(s.getKey())) % COLORS.length];
            StringBuilder line = new StringBuilder();
            StringBuilder band = new StringBuilder();
            List<ExperimentAnalysis.Point> pts = s.getValue();
            for (ExperimentAnalysis.Point p : pts) {
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.day(), days, left, w - right), y(p.value(), lo, hi, top, ht - bottom)));
                band.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.day(), days, left, w - right), y(p.high(), lo, hi, top, ht - bottom)));
            }
            for (int i = pts.size() - 1; i >= 0; i--) {
                ExperimentAnalysis.Point p = pts.get(i);
                band.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.day(), days, left, w - right), y(p.low(), lo, hi, top, ht - bottom)));
            }
            if (pts.size() > 1) {
                h.append("<polygon class=\"band\" points=\"").append(band.toString().trim()).append("\" fill=\"").append(color)
                        .append("\" fill-opacity=\"0.15\" stroke=\"none\"/>");
                h.append("<polyline class=\"series\" points=\"").append(line.toString().trim()).append("\" fill=\"none\" stroke=\"")
                        .append(color).append("\" stroke-width=\"2\"/>");
            }
            for (ExperimentAnalysis.Point p : pts) {
                double x = x(p.day(), days, left, w - right) + (variants.indexOf(s.getKey()) - (variants.size() - 1) / 2.0) * 6;
                h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
                        x, x, y(p.low(), lo, hi, top, ht - bottom), y(p.high(), lo, hi, top, ht - bottom), color));
                h.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s day %s: %.3f%% [%.3f%%, %.3f%%]</title></circle>",
                        x, y(p.value(), lo, hi, top, ht - bottom), color, esc(s.getKey()), d.days().get(p.day()), 100 * p.value(), 100 * p.low(), 100 * p.high()));
            }
        }
        legend(h, variants, w - right + 10, top + 10);
        h.append("</svg>\n");
    }

    private static void latencyPlot(StringBuilder h, String service, Map<String, ExponentialHistogram> byVariant, List<String> variants) {
        int w = 380;
        int ht = 230;
        int left = 40;
        int right = 10;
        int top = 22;
        int bottom = 30;
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (ExponentialHistogram hist : byVariant.values()) {
            int[] indexes = hist.indexes();
            if (indexes.length == 0) continue;
            minMs = Math.min(minMs, ExponentialHistogram.upperBoundMillis(indexes[0] - 1));
            maxMs = Math.max(maxMs, ExponentialHistogram.upperBoundMillis(indexes[indexes.length - 1]));
        }
        if (maxMs == 0) return;
        double lx0 = Math.log10(Math.max(minMs, 1e-3));
        double lx1 = Math.max(lx0 + 0.5, Math.log10(maxMs));
        h.append("<svg class=\"latency-cdf\" data-service=\"").append(esc(service)).append("\" width=\"").append(w).append("\" height=\"")
                .append(ht).append("\" viewBox=\"0 0 ").append(w).append(' ').append(ht).append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
        h.append("<text x=\"").append(left).append("\" y=\"14\" font-weight=\"600\">").append(esc(service)).append("</text>");
        axes(h, left, top, w - right, ht - bottom);
        for (int e = (int) Math.ceil(lx0); e <= Math.floor(lx1); e++) {
            double x = left + (e - lx0) / (lx1 - lx0) * (w - right - left);
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s ms</text>", x, ht - bottom + 14,
                    e >= 0 ? Long.toString(Math.round(Math.pow(10, e))) : Double.toString(Math.pow(10, e))));
        }
        for (int i = 0; i <= 2; i++) {
            double y = top + (ht - bottom - top) * (1 - i / 2.0);
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>", left - 3, y + 4, 50 * i));
        }
        for (Map.Entry<String, ExponentialHistogram> v : byVariant.entrySet()) {
            ExponentialHistogram hist = v.getValue();
            if (hist.total() == 0) continue;
            String color = COLORS[Math.max(0, variants.indexOf(v.getKey())) % COLORS.length];
            StringBuilder line = new StringBuilder();
            long seen = 0;
            double total = hist.total();
            ExponentialHistogram.Buckets buckets = hist.buckets();
            for (int k = 0; k < buckets.indexes().length; k++) {
                seen += buckets.counts()[k];
                double x = left + (Math.log10(ExponentialHistogram.upperBoundMillis(buckets.indexes()[k])) - lx0) / (lx1 - lx0) * (w - right - left);
                double y = top + (ht - bottom - top) * (1 - seen / total);
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", Math.max(left, x), y));
            }
            h.append("<polyline class=\"cdf\" points=\"").append(line.toString().trim()).append("\" fill=\"none\" stroke=\"").append(color)
                    .append("\" stroke-width=\"1.5\"><title>").append(esc(v.getKey())).append("</title></polyline>");
            double p95 = hist.percentileMillis(0.95);
            double x = left + (Math.log10(p95) - lx0) / (lx1 - lx0) * (w - right - left);
            double y = top + (ht - bottom - top) * 0.05;
            h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s p95 %.2f ms</title></circle>",
                    x, y, color, esc(v.getKey()), p95));
        }
        legend(h, new ArrayList<>(byVariant.keySet()).stream().sorted((p, q) -> Integer.compare(variants.indexOf(p), variants.indexOf(q))).toList(),
                w - right - 110, ht - bottom - 14 * byVariant.size() - 4, variants);
        h.append("</svg>\n");
    }

    private static void axes(StringBuilder h, int x0, int y0, int x1, int y1) {
        h.append(String.format(Locale.ROOT, "<path d=\"M%d %d V%d H%d\" stroke=\"#555\" fill=\"none\"/>", x0, y0, y1, x1));
    }

    private static void legend(StringBuilder h, List<String> variants, int x, int y) {
        legend(h, variants, x, y, variants);
    }

    private static void legend(StringBuilder h, List<String> shown, int x, int y, List<String> all) {
        for (int i = 0; i < shown.size(); i++) {
            String color = COLORS[Math.max(0, all.indexOf(shown.get(i))) % COLORS.length];
            h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>",
                    x, y + i * 14, color, x + 14, y + i * 14 + 9, esc(shown.get(i))));
        }
    }

    private static double x(int day, int days, int x0, int x1) {
        return days <= 1 ? (x0 + x1) / 2.0 : x0 + 20 + (double) day / (days - 1) * (x1 - x0 - 40);
    }

    private static double y(double v, double lo, double hi, int y0, int y1) {
        return y1 - (v - lo) / (hi - lo) * (y1 - y0);
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
