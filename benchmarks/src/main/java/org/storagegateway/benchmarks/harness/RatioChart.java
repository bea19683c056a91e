package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** A bar chart of the speed and CPU ratios per row of the results, with 1.0 (parity) as the line to clear. */
final class RatioChart {
    private RatioChart() {
    }

    static Path write(Path directory, Scenario scenario, List<Comparison> rows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(900)
                .title("Appliance vs " + rows.get(0).peer() + ", " + scenario.id() + " scenario"
                        + " (above 1.0: the appliance is better)")
                .yAxisTitle("ratio").build();
        // Vertical labels sit centred under their bars; slanted ones drift a bar sideways.
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        List<String> labels = rows.stream().map(row -> row.workload().label() + " / " + row.client() + " / "
                + row.metric().unit()).toList();
        chart.addSeries("speed ratio", labels, rows.stream().map(Comparison::ratio).toList());
        chart.addSeries("CPU per I/O ratio", labels, rows.stream().map(Comparison::cpuRatio).toList());
        chart.addSeries("parity", labels, rows.stream().map(row -> 1.0).toList())
                .setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        Files.createDirectories(directory);
        Path file = directory.resolve(scenario.chartFile());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
