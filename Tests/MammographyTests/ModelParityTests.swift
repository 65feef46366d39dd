import Engine
import Mammography
import XCTest

/// Each network, loaded with the fixture's random weights and batch-norm statistics,
/// computes PyTorch's eval-mode logits (within 1e-3 absolute) on both backends.
final class ModelParityTests: XCTestCase {
    static let tolerance: Float = 1e-3

    func testDilatedResizeLogits() throws { try checkLogits(.dilatedResize) }
    func testDilatedTransposeFirstLogits() throws { try checkLogits(.dilatedTransposeFirst) }
    func testFCNTransposeLogits() throws { try checkLogits(.fcnTranspose) }
    func testFCNTransposeBottleneckLogits() throws { try checkLogits(.fcnTransposeBottleneck) }
    func testFCNHybridLogits() throws { try checkLogits(.fcnHybrid) }
    func testClassifierLogits() throws { try checkLogits(.classifier) }

    /// `probabilities` on oneDNN (logits convolution and softmax fused into one
    /// convolution) against the reference backend's softmax of its logits.
    func testFusedProbabilitiesMatchSoftmaxOfLogits() throws {
        for architecture in Architecture.allCases {
            let (model, size) = try ModelFixtures.loadModel("\(architecture).safetensors")
            let backends = try ModelFixtures.backends()
            let reference = backends[0], dnnl = backends[1]
            let input = ModelFixtures.input(size: size)
            let referenceContext = Context(backend: reference, training: false)
            let logits = try model(try referenceContext.input(input), referenceContext)
            let expected = try reference.download(reference.softmax(logits.value))
            let ctx = Context(backend: dnnl, training: false)
            let probabilities = try dnnl.download(model.probabilities(try ctx.input(input), ctx))
            XCTAssertEqual(probabilities.shape, expected.shape, "\(architecture)")
            let error = maxAbsoluteDifference(probabilities.scalars, expected.scalars)
            XCTAssertLessThanOrEqual(error, 1e-4, "\(architecture): max |Δp| \(error)")
        }
    }

    private func checkLogits(_ architecture: Architecture) throws {
        let (model, size) = try ModelFixtures.loadModel("\(architecture).safetensors")
        let expected = try ModelFixtures.read("\(architecture).expected.safetensors")
        let stride = try XCTUnwrap(expected.metadata["stride"].flatMap(Int.init))
        let shape = try XCTUnwrap(expected.metadata["shape"]).split(separator: ",").compactMap { Int($0) }
        let reference = try XCTUnwrap(expected.tensors["logits"]).scalars
        for backend in try ModelFixtures.backends() {
            let ctx = Context(backend: backend, training: false)
            let logits = try backend.download(try model(try ctx.input(ModelFixtures.input(size: size)), ctx).value)
            XCTAssertEqual(logits.shape, shape, backend.name)
            let sampled = Swift.stride(from: 0, to: logits.count, by: stride).map { logits.scalars[$0] }
            let error = maxAbsoluteDifference(sampled, reference)
            XCTAssertLessThanOrEqual(error, Self.tolerance, "\(architecture) on \(backend.name): max |Δ| \(error)")
        }
    }
}
