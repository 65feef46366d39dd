import Foundation
import MammoData

/// The images the viewer serves and the state of their predictions. Built from a scan of DIR that
/// keeps only image files whose canonical path (links followed) lies inside DIR; uploads join later.
/// Every request names an image by id and is answered from here, so no request path ever becomes a file path.
final class ImageCatalog: @unchecked Sendable {
    static let extensions: Set<String> = ["dcm", "dicom", "png", "pgm"]

    let root: String
    private let lock = NSLock()
    private var entries: [String: CatalogEntry] = [:]
    private var order: [String] = []
    private var states: [String: PredictionState] = [:]

    /// Scans `folder` (recursively). Files that are unreadable, of an unknown format or lead out of it are skipped.
    init(folder: String, modelIdentity: String) throws {
        guard let root = ContainedPath.resolve(folder) else {
            throw DataError(file: folder, "no such folder; check --images")
        }
        self.root = root
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue,
              let walker = FileManager.default.enumerator(atPath: root) else {
            throw DataError(file: folder, "is not a folder; give --images a folder of DICOM, PNG or PGM files")
        }
        var relatives: [String] = []
        while let relative = walker.nextObject() as? String {
            if Self.extensions.contains((relative as NSString).pathExtension.lowercased()) { relatives.append(relative) }
        }
        for relative in relatives.sorted() {
            guard let path = ContainedPath.inside(root + "/" + relative, root: root),
                  let entry = try? Self.entry(relative: relative, path: path, modelIdentity: modelIdentity) else { continue }
            entries[entry.id] = entry
            order.append(entry.id)
            states[entry.id] = .pending
        }
    }

    private static func entry(relative: String, path: String, modelIdentity: String) throws -> CatalogEntry {
        let format = try ImageFile.format(of: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let cacheKey = StableHash.hex("\(modelIdentity)|\(path)|\(size)|\(time)")
        var entry = CatalogEntry(id: StableHash.hex("file:" + relative), name: relative, path: path, format: format,
                                 cacheKey: cacheKey, isUpload: false, examKey: "file:" + relative)
        describe(&entry, folderKey: (relative as NSString).deletingLastPathComponent)
        return entry
    }

    /// Patient, study, laterality and view: from the DICOM header, else from the file name (`L_CC`, `RMLO`, …).
    /// DICOM images group by study (else patient); other files by folder when their names give a view.
    static func describe(_ entry: inout CatalogEntry, folderKey: String?) {
        if entry.format == .dicom, let identity = try? DICOMStudyIdentity(path: entry.path) {
            entry.patientID = identity.patientID
            entry.studyInstanceUID = identity.studyInstanceUID
            entry.laterality = identity.laterality
            entry.view = identity.view
            if let key = identity.studyInstanceUID ?? identity.patientID { entry.examKey = "dicom:" + key }
        }
        let nameStem = ((entry.name as NSString).lastPathComponent as NSString).deletingPathExtension
        if entry.laterality == nil { entry.laterality = Orientation.laterality(fromName: nameStem) }
        if entry.view == nil { let view = Orientation.view(fromName: nameStem); entry.view = view.isEmpty ? nil : view }
        if entry.format != .dicom, let folderKey, entry.laterality != nil, entry.view != nil {
            entry.examKey = "folder:" + folderKey
        }
    }

    func entry(_ id: String) -> CatalogEntry? { lock.lock(); defer { lock.unlock() }; return entries[id] }
    func state(_ id: String) -> PredictionState? { lock.lock(); defer { lock.unlock() }; return states[id] }

    func setState(_ state: PredictionState, for id: String) {
        lock.lock(); defer { lock.unlock() }
        if entries[id] != nil { states[id] = state }
    }

    /// Adds an upload (or finds it again: uploads are named by content).
    func addUpload(_ entry: CatalogEntry) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard entries[entry.id] == nil else { return false }
        entries[entry.id] = entry
        order.append(entry.id)
        states[entry.id] = .pending
        return true
    }

    func remove(_ id: String) {
        lock.lock(); defer { lock.unlock() }
        entries[id] = nil
        states[id] = nil
        order.removeAll { $0 == id }
    }

    /// Every entry with its state, in scan order (uploads last).
    func snapshot() -> [(entry: CatalogEntry, state: PredictionState)] {
        lock.lock(); defer { lock.unlock() }
        return order.compactMap { id in entries[id].map { ($0, states[id] ?? .pending) } }
    }

    var ids: [String] { lock.lock(); defer { lock.unlock() }; return order }
}
