import Foundation
import Hummingbird
import MammoData
import Mammography

/// The HTTP interface. Every image is named by its catalogue id (16 hex digits); an id that is not in
/// the catalogue is a 404, so no part of a request path is ever used as a file path. Errors are
/// JSON `{"error":{"message":…}}` with a short message and no server path.
struct ViewerRoutes: Sendable {
    let catalog: ImageCatalog
    let cache: ViewerCache
    let displays: DisplayBuilder
    let worker: PredictionWorker
    let configuration: ViewerConfiguration

    func install(on router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.asset(PageAssets.html, type: "text/html; charset=utf-8") }
        router.get("/viewer.js") { _, _ in Self.asset(PageAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/viewer.css") { _, _ in Self.asset(PageAssets.style, type: "text/css; charset=utf-8") }
        router.get("/api/worklist") { _, _ in try Self.json(Worklist(catalog.snapshot())) }
        router.get("/api/images/:id") { _, context in try await info(try entry(context)) }
        router.get("/api/images/:id/pixels") { _, context in try await pixels(try entry(context)) }
        router.get("/api/images/:id/overlay") { _, context in try overlay(try entry(context)) }
        router.get("/api/images/:id/probability.png") { _, context in try await probabilityPNG(try entry(context)) }
        router.get("/api/images/:id/heatmap.png") { _, context in try await heatmapPNG(try entry(context)) }
        router.get("/api/images/:id/seg.dcm") { _, context in try await segmentation(try entry(context)) }
        router.post("/api/predict") { request, _ in try await upload(request) }
    }

    // MARK: Images

    private func entry(_ context: BasicRequestContext) throws -> CatalogEntry {
        guard let id = context.parameters.get("id"), id.count == 16, id.allSatisfy(\.isHexDigit),
              let entry = catalog.entry(id) else {
            throw HTTPError(.notFound, message: "no such image")
        }
        return entry
    }

    struct ImageInfo: Codable {
        var id: String
        var name: String
        var laterality: String?
        var view: String?
        var status: String
        var score: Double?
        var message: String?
        var display: DisplayImage
        var downloads: [Download]
    }

    struct Download: Codable {
        var label: String
        var href: String
    }

    /// What the page needs to draw an image; asking puts it at the front of the prediction queue.
    private func info(_ entry: CatalogEntry) async throws -> Response {
        worker.prioritize([entry.id])
        let display = try await offload { try displays.display(for: entry) }
        let state = catalog.state(entry.id) ?? .pending
        var message: String?
        if case let .failed(text) = state { message = text }
        return try Self.json(ImageInfo(id: entry.id, name: entry.name, laterality: entry.laterality?.rawValue, view: entry.view,
                                       status: state.label, score: state.score, message: message, display: display,
                                       downloads: state.score == nil ? [] : downloads(for: entry)))
    }

    private func downloads(for entry: CatalogEntry) -> [Download] {
        [Download(label: "Probability map (16-bit PNG)", href: "/api/images/\(entry.id)/probability.png"),
         Download(label: "Heatmap (PNG)", href: "/api/images/\(entry.id)/heatmap.png")]
            + (entry.format == .dicom ? [Download(label: "DICOM SEG", href: "/api/images/\(entry.id)/seg.dcm")] : [])
    }

    /// The display copy: little-endian UInt16, `display.width × display.height`, dense tissue bright.
    private func pixels(_ entry: CatalogEntry) async throws -> Response {
        _ = try await offload { try displays.display(for: entry) }
        return try Self.file(cache.displayPixelsPath(entry.cacheKey), type: "application/octet-stream")
    }

    /// The map in the display grid, one byte per pixel (round(p · 255)); 409 until predicted.
    private func overlay(_ entry: CatalogEntry) throws -> Response {
        guard catalog.state(entry.id)?.score != nil, cache.mapSummary(entry.cacheKey) != nil else {
            throw HTTPError(.conflict, message: "the prediction is not ready yet")
        }
        return try Self.file(cache.overlayPath(entry.cacheKey), type: "application/octet-stream")
    }

    private func mapSummary(_ entry: CatalogEntry) throws -> ViewerCache.MapSummary {
        guard catalog.state(entry.id)?.score != nil, let summary = cache.mapSummary(entry.cacheKey) else {
            throw HTTPError(.conflict, message: "the prediction is not ready yet")
        }
        return summary
    }

    /// predict's NAME_probability.png: 16-bit gray, round(p · 65535), the source's rows × columns.
    private func probabilityPNG(_ entry: CatalogEntry) async throws -> Response {
        let summary = try mapSummary(entry)
        let bytes = try await offload { try PNG.encode(try cache.probabilityImage(entry.cacheKey, summary: summary)) }
        return Self.download(bytes, name: entry.stem + "_probability.png")
    }

    /// predict's NAME_heatmap.png: the map in colour over the image, with its legend.
    private func heatmapPNG(_ entry: CatalogEntry) async throws -> Response {
        let summary = try mapSummary(entry)
        let bytes = try await offload { () throws -> [UInt8] in
            let map = try cache.probabilityImage(entry.cacheKey, summary: summary)
            let image = try SourceImage.read(entry.path, intensity: worker.intensity).image
            guard image.width == map.width, image.height == map.height else { throw ViewerError.cacheDamaged }
            let probability = map.pixels.map { Float($0) / 65535 }
            return try PNG.encode(Heatmap.overlay(image: image.normalized(), probability: probability, width: map.width, height: map.height))
        }
        return Self.download(bytes, name: entry.stem + "_heatmap.png")
    }

    /// predict --dicom-seg's NAME_seg.dcm: the cached map as a FRACTIONAL Segmentation referencing the
    /// source (DICOM entries only; 404 for others).
    private func segmentation(_ entry: CatalogEntry) async throws -> Response {
        guard entry.format == .dicom else { throw HTTPError(.notFound, message: "a DICOM Segmentation needs a DICOM image") }
        let summary = try mapSummary(entry)
        let bytes = try await offload { () throws -> [UInt8] in
            let map = try cache.probabilityImage(entry.cacheKey, summary: summary)
            var description = DICOMSegmentDescription()
            description.algorithmName = "MammoSeg"
            return try DICOMSegmentation(probability: map.pixels.map { Float($0) / 65535 },
                                         source: try DICOMSourceReference(path: entry.path), description: description).bytes
        }
        return Self.download(bytes, name: entry.stem + "_seg.dcm")
    }

    // MARK: Uploads

    /// A file for a quick look: capped in size, recognised by content (PNG, DICOM, PGM), decoded within the
    /// read limits and predicted; answers when the prediction is done. A file that fails is dropped again.
    private func upload(_ request: Request) async throws -> Response {
        let limit = configuration.maxUploadBytes
        let tooLarge = HTTPError(.contentTooLarge, message: "the upload is larger than the limit of \(limit >> 20) MiB")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        let name = Self.uploadName(request.uri.queryParameters.get("name"))
        // Streamed to a file as it arrives, so twenty large uploads at once cost disk, not memory.
        let temporary = cache.uploadsFolder + "/incoming-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw HTTPError(.internalServerError, message: "the upload cannot be stored")
        }
        var hash = StableHash()
        var total = 0
        do {
            defer { try? handle.close() }
            for try await chunk in request.body {
                total += chunk.readableBytes
                guard total <= limit else { throw tooLarge }
                try chunk.withUnsafeReadableBytes { bytes in
                    hash.update(bytes)
                    try handle.write(contentsOf: bytes)
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? HTTPError { throw error }
            throw HTTPError(.badRequest, message: "the upload was cut short; send the whole file")
        }
        guard total > 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw HTTPError(.badRequest, message: "the upload is empty; send the image file as the request body")
        }
        let digest = hash.hex
        let entry = try await offload { try storeUpload(temporary, hash: digest, name: name) }
        _ = catalog.addUpload(entry)
        let state = await worker.result(of: entry.id)
        switch state {
        case let .done(score):
            struct Answer: Codable { var id: String; var name: String; var score: Double }
            return try Self.json(Answer(id: entry.id, name: entry.name, score: score))
        case let .failed(message):
            catalog.remove(entry.id)
            try? FileManager.default.removeItem(atPath: entry.path)
            throw HTTPError(.unprocessableContent, message: "the upload could not be read: \(message)")
        default:
            throw HTTPError(.serviceUnavailable, message: "the prediction did not finish; try again")
        }
    }

    /// A display name from the client's `name` parameter: its last component, printable, at most 80 characters.
    static func uploadName(_ given: String?) -> String {
        let last = (given ?? "").split(separator: "/").last.map(String.init) ?? ""
        let kept = last.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_. ".unicodeScalars.contains($0) }
        let clean = String(String.UnicodeScalarView(kept).prefix(80))
        return clean.isEmpty || clean.allSatisfy({ $0 == "." }) ? "upload" : clean
    }

    /// Moves a received file to STATE/uploads/HASH.EXT (content-named: the same file twice is one entry);
    /// refuses what is not a PNG, DICOM or PGM image by its first bytes. Decoding it is the prediction's first step.
    private func storeUpload(_ temporary: String, hash: String, name: String) throws -> CatalogEntry {
        let id = StableHash.hex("upload:" + hash)
        if let known = catalog.entry(id) {
            try? FileManager.default.removeItem(atPath: temporary)
            return known
        }
        let format: ImageFileFormat
        do {
            format = try ImageFile.format(of: temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw HTTPError(.unsupportedMediaType, message: "not a PNG, DICOM or PGM image")
        }
        let path = cache.uploadsFolder + "/\(hash).\(format == .dicom ? "dcm" : format.rawValue.lowercased())"
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        var entry = CatalogEntry(id: id, name: "upload: " + name, path: path, format: format,
                                 cacheKey: StableHash.hex("\(configuration.modelIdentity)|upload|\(hash)"),
                                 isUpload: true, examKey: "upload:" + hash)
        ImageCatalog.describe(&entry, folderKey: nil)
        entry.examKey = "upload:" + hash   // an upload stays on its own, whatever patient its header names
        return entry
    }

    // MARK: Responses

    static func json<T: Encodable>(_ value: T) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func asset(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func file(_ path: String, type: String) throws -> Response {
        guard let data = FileManager.default.contents(atPath: path) else { throw ViewerError.cacheDamaged }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func download(_ bytes: [UInt8], name: String) -> Response {
        let safe = name.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return Response(status: .ok, headers: [.contentType: "image/png", .contentDisposition: "attachment; filename=\"\(safe)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Runs blocking work (decoding, encoding, file I/O) off Swift's cooperative threads.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
