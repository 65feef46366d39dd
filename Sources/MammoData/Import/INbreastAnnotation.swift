import Foundation

/// The lesion outlines of one INbreast image (`AllXML/<id>.xml`, an OsiriX ROI export):
/// `Images` → dicts with `ROIs` → dicts with `Name`, `NumberOfPoints`, `Point_px` ("(x, y)"
/// strings in image pixels, origin top-left).
struct INbreastAnnotation {
    struct ROI {
        var name: String
        var points: [(x: Double, y: Double)]
        var line: Int
    }

    var file: String
    var rois: [ROI]

    /// Radius in pixels of the disc drawn for a one- or two-point ROI (a single calcification):
    /// about 0.4 mm at INbreast's 0.07 mm pixels, the size of a typical microcalcification.
    static let pointRadius = 3.0

    static func read(_ path: String) throws -> INbreastAnnotation {
        let plist = try PropertyListXML.read(path)
        guard let images = plist["Images"]?.arrayValue else {
            throw DataError(file: path, "line \(plist.line): no 'Images' array; is this an INbreast (OsiriX) ROI file?")
        }
        var rois: [ROI] = []
        for image in images {
            for roi in image["ROIs"]?.arrayValue ?? [] {
                let name = roi["Name"]?.stringValue ?? ""
                var points: [(x: Double, y: Double)] = []
                for point in roi["Point_px"]?.arrayValue ?? [] {
                    guard let text = point.stringValue, let parsed = parsePoint(text) else {
                        throw DataError(file: path, "line \(point.line): a Point_px entry of ROI '\(name)' is not \"(x, y)\"; fix or remove it")
                    }
                    points.append(parsed)
                }
                rois.append(ROI(name: name, points: points, line: roi.line))
            }
        }
        return INbreastAnnotation(file: path, rois: rois)
    }

    /// `(1234.5, 678.25)` → (1234.5, 678.25).
    static func parsePoint(_ text: String) -> (x: Double, y: Double)? {
        let numbers = text.trimmingCharacters(in: CharacterSet(charactersIn: "() \t\n"))
            .split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 2, let x = numbers[0], let y = numbers[1], x.isFinite, y.isFinite else { return nil }
        return (x, y)
    }

    /// Draws one ROI: a contour of three or more points is filled (even–odd); fewer points are discs.
    static func draw(_ roi: ROI, into mask: inout GrayImage) {
        if roi.points.count >= 3 {
            mask.fillPolygon(roi.points)
        } else {
            for point in roi.points { mask.fillDisc(x: point.x, y: point.y, radius: pointRadius) }
        }
    }
}
