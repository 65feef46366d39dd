import XCTest
@testable import Mammography

final class RunReportChartTests: XCTestCase {
    /// A real run's metrics.csv: on one axis, seconds per epoch (about 10) flattened the
    /// validation metrics (0…1) to a line on the axis; they get charts of their own.
    func testSecondsAndLearningRateAreChartedApartFromTheMetrics() {
        var epochs: [[String: Double]] = []
        for epoch in 1...3 {
            let e = Double(epoch)
            epochs.append(["epoch": e, "train_loss": 0.6 / e, "val_dice": 0.1 * e, "val_fp_rate_normal": 0.01,
                           "seconds": 20 + e, "learning_rate": 0.002])
        }
        let charts = RunReport(title: "run", epochs: epochs).charts
        XCTAssertEqual(charts.map(\.title), ["Loss", "Metrics", "Learning rate", "Seconds per epoch"])
        XCTAssertEqual(charts[0].series.map(\.name), ["train_loss"])
        XCTAssertEqual(charts[1].series.map(\.name), ["val_dice", "val_fp_rate_normal"])
        XCTAssertEqual(charts[3].series.first?.points.map(\.y), [21, 22, 23])
        XCTAssertEqual(RunReport(title: "no timing", epochs: [["epoch": 1, "val_dice": 0.5]]).charts.map(\.title), ["Metrics"])
    }

    /// A constant learning rate of 0.002 was drawn between ticks -0.998 and 1.
    func testFlatSeriesAxisRunsFromZeroToTwiceTheValue() {
        let chart = SVGLineChart(title: "Learning rate", xLabel: "epoch",
                                 series: [.init(name: "learning_rate", points: [(x: 1, y: 0.002), (x: 2, y: 0.002)])])
        let svg = chart.render()
        XCTAssertTrue(svg.contains(">0.004<"), "top tick at twice the value")
        XCTAssertFalse(svg.contains("-0.998"))
    }
}
