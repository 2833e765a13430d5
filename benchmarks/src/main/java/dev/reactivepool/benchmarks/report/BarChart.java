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

    BarChart(String title, String yAxisTitle, List<String> categories) {
        this.title = title;
        this.yAxisTitle = yAxisTitle;
        this.categories = List.copyOf(categories);
    }

    /**
     * Adds a series; missing values (NaN) are drawn as empty bars.
     */
    BarChart series(String name, List<Double> values) {
        if (values.size() != categories.size()) {
            throw new IllegalArgumentException("series '" + name + "' has " + values.size() + " values for "
                    + categories.size() + " categories");
        }
        series.put(name, values);
        return this;
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
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (Double v : e.getValue()) {
                values.add(v == null || v.isNaN() ? 0.0 : v);
            }
            chart.addSeries(e.getKey(), categories, values);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
