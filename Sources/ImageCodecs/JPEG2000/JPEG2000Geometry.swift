import COpenJPEG

/// What the JPEG 2000 header promises, validated before decoding: one size, one precision and
/// one signedness for all components, none subsampled.
struct JPEG2000Geometry {
    let width: Int
    let height: Int
    let components: Int
    let precision: Int
    let isSigned: Bool

    init(header image: opj_image_t) throws {
        guard image.x1 > image.x0, image.y1 > image.y0, image.numcomps > 0, let comps = image.comps else {
            throw CodecError("JPEG 2000: the header declares an empty image (\(image.x0)…\(image.x1) × \(image.y0)…\(image.y1), \(image.numcomps) components); the data are damaged")
        }
        width = Int(image.x1 - image.x0)
        height = Int(image.y1 - image.y0)
        components = Int(image.numcomps)
        let first = comps[0]
        precision = Int(first.prec)
        isSigned = first.sgnd != 0
        guard (2...16).contains(precision) else {
            throw CodecError("JPEG 2000: \(precision)-bit samples are not supported (2 to 16 bits are)")
        }
        for index in 0..<components {
            let component = comps[index]
            guard component.dx == 1, component.dy == 1 else {
                throw CodecError("JPEG 2000: component \(index) is subsampled (\(component.dx) × \(component.dy)); only images whose components are all full size are supported")
            }
            guard Int(component.prec) == precision, (component.sgnd != 0) == isSigned else {
                throw CodecError("JPEG 2000: component \(index) has \(component.prec) bits\(component.sgnd != 0 ? " signed" : ""), unlike component 0 (\(precision) bits\(isSigned ? " signed" : "")); mixed precisions are not supported")
            }
        }
    }
}
