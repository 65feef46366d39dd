/// The manifest columns holding an image's `PreprocessingTransform` (dataset version 2):
/// source size, mirrored (1/0), crop box in the mirrored source, prepared size. All empty = none.
enum TransformColumns {
    static let names = ["source_width", "source_height", "flipped", "crop_x", "crop_y", "crop_width", "crop_height",
                        "prepared_width", "prepared_height"]

    static func fields(_ transform: PreprocessingTransform?) -> [String] {
        guard let t = transform else { return [String](repeating: "", count: names.count) }
        return [t.sourceWidth, t.sourceHeight, t.flipped ? 1 : 0, t.crop.x, t.crop.y, t.crop.width, t.crop.height,
                t.preparedWidth, t.preparedHeight].map(String.init)
    }

    /// `values` in `names` order; nil when all are empty.
    static func parse(_ values: [String], file: String, line: Int) throws -> PreprocessingTransform? {
        if values.allSatisfy({ $0.isEmpty }) { return nil }
        var numbers: [Int] = []
        for (name, text) in zip(names, values) {
            guard let number = Int(text) else {
                throw DataError(file: file, "line \(line), column '\(name)': '\(text)' is not a whole number; the transform columns are all filled or all empty — re-import the dataset")
            }
            numbers.append(number)
        }
        guard numbers[2] == 0 || numbers[2] == 1 else {
            throw DataError(file: file, "line \(line), column 'flipped': '\(values[2])' is not 0 or 1; re-import the dataset")
        }
        let transform = PreprocessingTransform(
            sourceWidth: numbers[0], sourceHeight: numbers[1], flipped: numbers[2] == 1,
            crop: PixelBox(x: numbers[3], y: numbers[4], width: numbers[5], height: numbers[6]),
            preparedWidth: numbers[7], preparedHeight: numbers[8])
        guard transform.isConsistent else {
            throw DataError(file: file, "line \(line): the transform (crop \(numbers[3]),\(numbers[4]) \(numbers[5])x\(numbers[6]) of \(numbers[0])x\(numbers[1]) → \(numbers[7])x\(numbers[8])) does not fit its source; re-import the dataset")
        }
        return transform
    }
}
