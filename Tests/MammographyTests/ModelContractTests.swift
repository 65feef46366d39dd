import Engine
import Foundation
import Mammography
import XCTest

/// Names, shapes, order and counts of every network's tensors equal the reference's
/// `state_dict` (minus num_batches_tracked), and the summary's multiply-accumulates equal
/// PyTorch's FlopCounterMode count, from Fixtures/models/contracts.json.
final class ModelContractTests: XCTestCase {
    /// The acceptance numbers: PyTorch's `sum(p.numel() for p in model.parameters())` at width 1.0.
    static let referenceWeightCounts: [Architecture: Int] = [
        .dilatedResize: 12_508_778, .dilatedTransposeFirst: 14_343_786, .fcnTranspose: 68_352_690,
        .fcnTransposeBottleneck: 68_704_850, .fcnHybrid: 67_500_626, .classifier: 4_988_610,
    ]

    func testTensorNamesShapesAndCountsMatchReference() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try ModelFixtures.path("contracts.json")))
        let contracts = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: [String: Any]]])
        XCTAssertEqual(Set(contracts.keys), Set(Architecture.allCases.map(\.rawValue)))
        for architecture in Architecture.allCases {
            for width in ["1.0", "0.25"] {
                let expected = try XCTUnwrap(contracts[architecture.rawValue]?[width])
                let tensors = try XCTUnwrap(expected["tensors"] as? [[Any]])
                let model = try makeModel(architecture, width: Double(width)!, seed: 1)
                let label = "\(architecture) width \(width)"
                XCTAssertEqual(model.parameters.map(\.name), tensors.map { $0[0] as? String ?? "" }, label)
                XCTAssertEqual(model.parameters.map(\.shape), tensors.map { $0[1] as? [Int] ?? [] }, label)
                XCTAssertEqual(model.weightCount, expected["parameters"] as? Int, label)
                let macs = model.summarize(inputShape: [1, 1, 640, 640]).reduce(0) { $0 + $1.multiplyAccumulates }
                XCTAssertEqual(macs, expected["macs_640"] as? Int, "\(label): multiply-accumulates at 640×640")
                if width == "1.0" { XCTAssertEqual(model.weightCount, Self.referenceWeightCounts[architecture], label) }
                XCTAssertEqual(model.architecture, architecture)
            }
        }
    }

    func testEncoderParametersAreTheEncoderPrefix() throws {
        let model = try makeModel(.dilatedResize, width: 0.0625)
        XCTAssertEqual(model.encoderParameters.count, 13 * 6)  // 13 CBR blocks, 6 tensors each
        XCTAssertTrue(model.encoderParameters.allSatisfy { $0.name.hasPrefix("encoder.") })
        XCTAssertFalse(model.parameters.dropFirst(model.encoderParameters.count).contains { $0.name.hasPrefix("encoder.") })
    }

    func testChannelWidthsRoundLikeTheReference() {
        let c = ChannelWidths(0.0625)
        XCTAssertEqual([c(8), c(16), c(32), c(512), c(2048)], [1, 1, 2, 32, 128])  // 16·0.0625 + 0.5 = 1.5 → 1
        XCTAssertEqual(ChannelWidths(0.01)(32), 1)  // never 0
        XCTAssertEqual(ChannelWidths(1)(2048), 2048)
    }

    func testSameSeedSameWeightsDifferentSeedDifferentWeights() throws {
        let a = try makeModel(.classifier, width: 0.125, seed: 3)
        let b = try makeModel(.classifier, width: 0.125, seed: 3)
        let c = try makeModel(.classifier, width: 0.125, seed: 4)
        XCTAssertEqual(a.parameters.map(\.value), b.parameters.map(\.value))
        XCTAssertNotEqual(a.parameters.map(\.value), c.parameters.map(\.value))
    }

    func testBadWidthAndArchitectureNameAreClearErrors() {
        XCTAssertThrowsError(try makeModel(.fcnHybrid, width: 0)) { error in
            XCTAssertEqual(error as? ModelError, .invalidWidth(0))
        }
        XCTAssertThrowsError(try makeModel(.fcnHybrid, width: .nan))
        XCTAssertThrowsError(try Architecture(named: "unet")) { error in
            XCTAssertTrue("\(error)".contains("dilated-resize"), "\(error)")
        }
    }
}
