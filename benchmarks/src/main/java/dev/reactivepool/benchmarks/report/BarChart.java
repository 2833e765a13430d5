package dev.reactivepool.benchmarks.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A grouped bar chart written as a PNG with XChart: categories along the x axis, one bar per
 * series in each category.
 */
final class BarChart {

    private final String title;
    private final String yAxisTitle;
    private final List<String> categories;
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private boolean logarithmic;

    BarChart(String title, String yAxisTitle, List<String> categories) {
        this.title = title;
        this.yAxisTitle = yAxisTitle;
        this.categories = List.copyOf(categories);
    }

    /**
     * Adds a series; missing values (NaN) are left out.
     */
    BarChart series(String name, List<Double> values) {
        if (values.size() != categories.size()) {
            throw new IllegalArgumentException("series '" + name + "' has " + values.size() + " values for "
                    + categories.size() + " categories");
        }
        series.put(name, values);
        return this;
    }

    /**
     * Draws the y axis on a log scale, so that figures orders of magnitude apart (a no-pool
     * baseline beside the pools) are all readable.
     */
    BarChart logarithmic() {
        this.logarithmic = true;
        return this;
    }

    private double smallestPositive() {
        double min = Double.POSITIVE_INFINITY;
        for (List<Double> values : series.values()) {
            for (Double v : values) {
                if (v != null && v > 0 && v < min) {
                    min = v;
                }
            }
        }
        return min == Double.POSITIVE_INFINITY ? 1.0 : min;
    }

    void writePng(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder()
                .width(1000)
                .height(520)
                .title(title)
                .yAxisTitle(yAxisTitle)
                .build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setPlotBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(java.awt.Color.DARK_GRAY);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        if (logarithmic) {
            // a bar chart's axis starts at zero unless told otherwise, and a log axis cannot
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallestPositive()))));
        }
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (Double v : e.getValue()) {
                boolean missing = v == null || v.isNaN() || (logarithmic && v <= 0);
                values.add(missing ? null : v); // XChart leaves a null bar out

            }
            chart.addSeries(e.getKey(), categories, values);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
