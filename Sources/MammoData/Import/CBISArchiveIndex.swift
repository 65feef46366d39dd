import Foundation

/// The DICOM files of a CBIS-DDSM download, found by case folder name and series, whatever
/// the layout:
///
///     CSV era:  Mass-Training_P_00001_LEFT_CC/<StudyUID>/<SeriesUID>/000000.dcm
///               Mass-Training_P_00001_LEFT_CC_1/<StudyUID>/<SeriesUID>/000000.dcm, 000001.dcm
///     NBIA:     CBIS-DDSM/Mass-Training_P_01981_RIGHT_CC/07-20-2016-DDSM-94258/
///                   1.000000-full mammogram images-07312/1-1.dcm
///
/// Files are matched to a CSV path by the case folder (any depth below the root) plus the
/// SeriesInstanceUID: the series folder's name in the CSV-era layout, the file's own
/// (0020,000E) element in the NBIA layout.
struct CBISArchiveIndex {
    struct File: Sendable {
        var path: String
        /// The folder directly holding the file (the series folder).
        var seriesFolder: String
    }

    /// Files by case folder name (e.g. `Mass-Training_P_00001_LEFT_CC_1`).
    private(set) var filesByCase: [String: [File]] = [:]

    static func isCaseFolder(_ name: String) -> Bool {
        (name.hasPrefix("Mass-") || name.hasPrefix("Calc-")) && (name.contains("-Training_P_") || name.contains("-Test_P_"))
    }

    init(root: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(file: root, "no such folder; give the CBIS-DDSM download folder with --root")
        }
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DataError(file: root, "cannot list the folder; check its permissions")
        }
        while let relative = walker.nextObject() as? String {
            guard relative.lowercased().hasSuffix(".dcm") else { continue }
            let components = relative.split(separator: "/").map(String.init)
            guard let caseFolder = components.last(where: Self.isCaseFolder), components.count >= 2 else { continue }
            let file = File(path: (root as NSString).appendingPathComponent(relative), seriesFolder: components[components.count - 2])
            filesByCase[caseFolder, default: []].append(file)
        }
        for key in filesByCase.keys { filesByCase[key]!.sort { $0.path < $1.path } }
    }

    /// The files of `caseFolder` in series `seriesUID` (by folder name, else by header);
    /// all the case's files when no series matches (a retriever that renamed everything).
    func files(caseFolder: String, seriesUID: String?) -> [File] {
        let all = filesByCase[caseFolder] ?? []
        guard let seriesUID, !seriesUID.isEmpty else { return all }
        let byFolder = all.filter { $0.seriesFolder == seriesUID }
        if !byFolder.isEmpty { return byFolder }
        let byHeader = all.filter { (try? DICOMFile(path: $0.path))?.seriesInstanceUID == seriesUID }
        return byHeader.isEmpty ? all : byHeader
    }
}
