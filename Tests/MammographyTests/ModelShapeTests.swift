import Engine
import Mammography
import XCTest

/// Input-size rules, and the analytic summary agreeing with a real forward pass.
final class ModelShapeTests: XCTestCase {
    func testInputSizesAreCheckedBeforeAnyWork() throws {
        XCTAssertNoThrow(try Architecture.dilatedResize.validate(inputSize: 640))
        XCTAssertNoThrow(try Architecture.fcnHybrid.validate(inputSize: 640))
        XCTAssertThrowsError(try Architecture.dilatedResize.validate(inputSize: 48))
        XCTAssertThrowsError(try Architecture.classifier.validate(inputSize: 0))
        XCTAssertThrowsError(try Architecture.fcnTranspose.validate(inputSize: 512)) { error in
            XCTAssertTrue("\(error)".contains("multiples of 320"), "\(error)")
            XCTAssertTrue("\(error)".contains("640"), "should suggest a valid size: \(error)")
        }
        XCTAssertThrowsError(try Architecture.dilatedResize.validate(inputShape: [1, 3, 64, 64]))
        XCTAssertNoThrow(try Architecture.dilatedResize.validate(inputShape: [2, 1, 64, 96]))

        // The forward pass refuses too, before touching the backend.
        let model = try makeModel(.fcnTranspose, width: 0.03125)
        let ctx = Context(backend: ReferenceBackend(), training: false)
        XCTAssertThrowsError(try model(try ctx.input(ModelFixtures.input(batch: 1, size: 64)), ctx)) { error in
            XCTAssertTrue(error is ModelError, "\(error)")
        }
    }

    /// Every summary row is a captured feature map with the shape the summary promised,
    /// and every captured map has a row: the summary mirrors the forward pass.
    func testSummaryMatchesForwardPassShapes() throws {
        let cases: [(Architecture, Double, Int)] = [
            (.dilatedResize, 0.03125, 64), (.dilatedTransposeFirst, 0.03125, 64), (.classifier, 0.03125, 64),
            (.fcnTranspose, 0.03125, 320), (.fcnTransposeBottleneck, 0.03125, 320), (.fcnHybrid, 0.03125, 320),
        ]
        for (architecture, width, size) in cases {
            let model = try makeModel(architecture, width: width)
            let rows = model.summarize(inputShape: [1, 1, size, size])
            XCTAssertEqual(Set(rows.map(\.name)).count, rows.count, "\(architecture): row names must be unique")
            let ctx = Context(backend: ReferenceBackend(), training: false)
            ctx.captureNames = Set(rows.map(\.name))
            let logits = try model(try ctx.input(ModelFixtures.input(batch: 1, size: size)), ctx)
            XCTAssertEqual(Set(ctx.captured.keys), ctx.captureNames, "\(architecture)")
            for row in rows {
                XCTAssertEqual(ctx.captured[row.name]?.shape, row.outputShape, "\(architecture) \(row.name)")
            }
            XCTAssertEqual(rows.last?.outputShape, logits.shape)
            XCTAssertEqual(logits.shape, architecture.isSegmenter ? [1, 2, size, size] : [1, 2])
            XCTAssertEqual(rows.reduce(0) { $0 + $1.parameterCount }, model.weightCount, "\(architecture)")
        }
    }

    func testMultiplyAccumulatesOfKnownLayers() throws {
        let model = try makeModel(.dilatedResize, width: 1)
        let rows = Dictionary(uniqueKeysWithValues: model.summarize(inputShape: [1, 1, 640, 640]).map { ($0.name, $0) })
        // conv1: 32 outputs × 320² pixels × (1·3·3) taps.
        XCTAssertEqual(rows["encoder.conv1"]?.multiplyAccumulates, 32 * 320 * 320 * 9)
        // tconv1: every one of 32 × 320² inputs feeds 16 × 4 × 4 outputs.
        XCTAssertEqual(rows["tconv1"]?.multiplyAccumulates, 32 * 320 * 320 * 16 * 16)
        XCTAssertEqual(rows["tconv1"]?.outputShape, [1, 16, 640, 640])
        XCTAssertEqual(rows["encoder.pool1"]?.multiplyAccumulates, 0)
    }
}
