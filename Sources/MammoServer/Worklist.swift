import Foundation

/// The worklist the page shows: images grouped into exams, exams sorted by score (the highest image
/// score in the exam, most suspicious first), exams with nothing scored yet last.
struct Worklist: Codable, Sendable {
    struct Image: Codable, Sendable {
        var id: String
        var name: String
        var laterality: String?
        var view: String?
        var status: String
        var score: Double?
        var message: String?
    }

    struct Exam: Codable, Sendable {
        var id: String
        var title: String
        var patient: String?
        var score: Double?
        var pending: Int
        var images: [Image]
    }

    var exams: [Exam]
    var done: Int
    var total: Int

    init(_ snapshot: [(entry: CatalogEntry, state: PredictionState)]) {
        var groups: [String: [(entry: CatalogEntry, state: PredictionState)]] = [:]
        var keys: [String] = []
        for item in snapshot {
            if groups[item.entry.examKey] == nil { keys.append(item.entry.examKey) }
            groups[item.entry.examKey, default: []].append(item)
        }
        exams = keys.map { key in
            let items = groups[key]!
            let images = items.map { entry, state -> Image in
                var message: String?
                if case let .failed(text) = state { message = text }
                return Image(id: entry.id, name: entry.name, laterality: entry.laterality?.rawValue, view: entry.view,
                             status: state.label, score: state.score, message: message)
            }
            let scores = images.compactMap(\.score)
            let first = items[0].entry
            let title: String
            if items.count == 1 {
                title = first.name
            } else if first.examKey.hasPrefix("folder:") {
                title = (first.name as NSString).deletingLastPathComponent
            } else {
                title = "Patient \(first.patientID ?? "?")" + (first.studyInstanceUID.map { " · study …\($0.suffix(8))" } ?? "")
            }
            return Exam(id: StableHash.hex(key), title: title.isEmpty ? first.name : title, patient: first.patientID,
                        score: scores.max(), pending: images.filter { $0.status == "pending" || $0.status == "running" }.count,
                        images: images)
        }
        exams.sort { a, b in
            switch (a.score, b.score) {
            case let (x?, y?): return x != y ? x > y : a.title < b.title
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a.title < b.title
            }
        }
        done = snapshot.filter { $0.state.isFinished }.count
        total = snapshot.count
    }
}
