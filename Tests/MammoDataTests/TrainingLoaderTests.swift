import XCTest
@testable import MammoData

final class TrainingLoaderTests: XCTestCase {
    /// A dataset of 40×30 images whose lesion pixels are the only bright ones, so image and
    /// label geometry can be compared after augmentation.
    private func makeDataset(_ folder: TemporaryFolder, count: Int = 6) throws -> PreparedDataset {
        let writer = try DatasetWriter(root: folder.join("ds"))
        for index in 0..<count {
            var image = GrayImage(width: 40, height: 30, bitDepth: 16)
            var mask = GrayImage(width: 40, height: 30, bitDepth: 8)
            if index % 2 == 0 {
                for y in 10..<(14 + index) { for x in (5 + index)..<(12 + index) { image[x, y] = 65535; mask[x, y] = 255 } }
            }
            try writer.add(DatasetEntry(id: "img\(index)", split: .train, patientID: "P\(index)", source: "test",
                                        label: index % 2 == 0 ? .benign : .normal), image: image, mask: mask)
        }
        try writer.finish(provenance: DatasetProvenance(importer: "test", sources: [], seed: 0))
        return try PreparedDataset(root: folder.join("ds"))
    }

    private func configuration() -> LoaderConfiguration {
        var configuration = LoaderConfiguration(size: 16, batchSize: 4, seed: 3)
        configuration.rotations = true
        return configuration
    }

    func testBatchesArePureFunctionOfSeedEpochAndIndex() throws {
        let folder = TemporaryFolder()
        let dataset = try makeDataset(folder)
        let loader = try TrainingLoader(dataset: dataset, configuration: configuration())
        XCTAssertEqual(loader.batchesPerEpoch, 2)
        var prefetched: [Batch] = []
        let batches = loader.batches(epoch: 1)
        while let batch = try batches.next() { prefetched.append(batch) }
        XCTAssertEqual(prefetched.map(\.index), [0, 1])

        // A fresh loader (as after a resume), on the caller's thread, gives the same bytes.
        let resumed = try TrainingLoader(dataset: dataset, configuration: configuration())
        let direct = try resumed.batch(epoch: 1, index: 1)
        XCTAssertEqual(direct.images, prefetched[1].images)
        XCTAssertEqual(direct.labels, prefetched[1].labels)
        XCTAssertEqual(direct.ids, prefetched[1].ids)
        let resumedSequence = resumed.batches(epoch: 1, startingAt: 1)
        XCTAssertEqual(try resumedSequence.next()?.images, prefetched[1].images)
        XCTAssertNil(try resumedSequence.next())

        let otherEpoch = try loader.batch(epoch: 2, index: 1)
        XCTAssertNotEqual(otherEpoch.images, direct.images)
    }

    /// Data-parallel shards: replica r of N with batch B makes slots r·B ..< (r+1)·B of the
    /// global batch that one process with batch N·B makes — the same images, crops and flips.
    func testReplicaShardsConcatenateToTheSingleProcessBatch() throws {
        let folder = TemporaryFolder()
        let dataset = try makeDataset(folder, count: 7)
        let single = try TrainingLoader(dataset: dataset, configuration: configuration())
        var shards: [TrainingLoader] = []
        for rank in 0..<2 {
            var c = configuration()
            c.batchSize = 2; c.replicaRank = rank; c.replicaCount = 2
            shards.append(try TrainingLoader(dataset: dataset, configuration: c))
        }
        XCTAssertEqual(shards[0].batchesPerEpoch, single.batchesPerEpoch)
        XCTAssertEqual(shards[0].globalBatchSize, 4)
        for epoch in 0..<2 {
            for index in 0..<single.batchesPerEpoch {
                let whole = try single.batch(epoch: epoch, index: index)
                let parts = try shards.map { try $0.batch(epoch: epoch, index: index) }
                XCTAssertEqual(parts.flatMap(\.ids), whole.ids)
                XCTAssertEqual(parts.flatMap(\.images), whole.images)
                XCTAssertEqual(parts.flatMap(\.labels), whole.labels)
            }
        }
        var bad = configuration()
        bad.replicaRank = 2; bad.replicaCount = 2
        XCTAssertThrowsError(try TrainingLoader(dataset: dataset, configuration: bad))
    }

    func testImageAndMaskShareOneGeometryAndIntensitiesAreInUnitRange() throws {
        let folder = TemporaryFolder()
        let loader = try TrainingLoader(dataset: try makeDataset(folder), configuration: configuration())
        var foreground = 0
        for epoch in 0..<4 {
            for index in 0..<loader.batchesPerEpoch {
                let batch = try loader.batch(epoch: epoch, index: index)
                XCTAssertEqual(batch.images.count, 4 * 16 * 16)
                XCTAssertEqual(batch.labels.count, 4 * 16 * 16)
                for (value, label) in zip(batch.images, batch.labels) {
                    XCTAssertTrue(value >= 0 && value <= 1)
                    // Bilinear image, nearest mask: a labelled pixel has its own bright source pixel
                    // among the four it blends (weight ≥ 1/4); a fully bright pixel must be labelled.
                    if label == 1 { XCTAssertGreaterThanOrEqual(value, 0.25 - 1e-5) }
                    if value > 0.9999 { XCTAssertEqual(label, 1) }
                    XCTAssertTrue(label <= 1)
                }
                foreground += batch.labels.reduce(0) { $0 + Int($1) }
            }
        }
        XCTAssertGreaterThan(foreground, 0)
    }

    func testLesionBiasedCropsContainLesions() throws {
        let folder = TemporaryFolder()
        var configuration = configuration()
        configuration.lesionCropFraction = 1
        configuration.size = 8
        let loader = try TrainingLoader(dataset: try makeDataset(folder), configuration: configuration)
        for index in 0..<loader.batchesPerEpoch {
            let batch = try loader.batch(epoch: 0, index: index)
            for (slot, id) in batch.ids.enumerated() where ["img0", "img2", "img4"].contains(id) {
                let crop = batch.labels[slot * 64..<(slot + 1) * 64]
                XCTAssertTrue(crop.contains(1), "lesion-centred crop of \(id) holds no lesion")
            }
        }
    }

    func testEvaluationImagesArePadded() throws {
        let folder = TemporaryFolder()
        let dataset = try makeDataset(folder, count: 2)
        let image = try dataset.evaluationImage(dataset.entries[0], padToMultipleOf: 32)
        XCTAssertEqual([image.width, image.height, image.paddedWidth, image.paddedHeight], [40, 30, 64, 32])
        XCTAssertEqual(image.image[10 * 64 + 5], 1)
        XCTAssertEqual(image.mask[10 * 64 + 5], 1)
        XCTAssertEqual(image.image[10 * 64 + 50], 0)
        XCTAssertEqual(image.mask.reduce(0) { $0 + Int($1) }, 4 * 7)
        XCTAssertEqual(try dataset.evaluationImages(split: .train).count, 2)
    }
}
