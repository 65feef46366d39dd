import Foundation

/// Breast orientation. Every prepared image has the chest wall at the LEFT edge
/// (column 0) and the nipple pointing right, i.e. the way a left breast is stored in
/// DDSM/CBIS-DDSM and MIAS. Right-breast images, stored mirrored, are flipped horizontally.
public enum Orientation {
    public enum Laterality: String, Sendable {
        case left = "L", right = "R"

        /// Parses DICOM (0020,0062)/(0020,0060) values and folder-name tokens: L, R, LEFT, RIGHT.
        public init?(code: String) {
            switch code.trimmingCharacters(in: .whitespaces).uppercased() {
            case "L", "LEFT": self = .left
            case "R", "RIGHT": self = .right
            default: return nil
            }
        }
    }

    /// Laterality from a file or folder name: a `LEFT`/`RIGHT` token, or an `L`/`R` token
    /// next to a view (`L_CC`, `R-MLO`, `CC_R`). Nil when the name does not say.
    public static func laterality(fromName name: String) -> Laterality? {
        let tokens = name.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        if tokens.contains("LEFT") { return .left }
        if tokens.contains("RIGHT") { return .right }
        for (index, token) in tokens.enumerated() where token == "L" || token == "R" {
            let neighbours = [index > 0 ? tokens[index - 1] : "", index + 1 < tokens.count ? tokens[index + 1] : ""]
            if neighbours.contains(where: MammographyView.nameTokens.contains) { return token == "L" ? .left : .right }
        }
        for token in tokens {
            if token == "LCC" || token == "LMLO" { return .left }
            if token == "RCC" || token == "RMLO" { return .right }
        }
        return nil
    }

    /// View from a name: a `CC`, `MLO`, `ML`, … token (`MammographyView.nameTokens`; also `LCC`, `RMLO`), else empty.
    public static func view(fromName name: String) -> String {
        let tokens = name.uppercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        for token in tokens {
            if MammographyView.nameTokens.contains(token) { return token }
            if token == "LCC" || token == "RCC" { return "CC" }
            if token == "MLO" || token == "LMLO" || token == "RMLO" { return "MLO" }
        }
        return ""
    }

    /// Whether the right half of the image is brighter than the left (the breast sits on the right).
    public static func rightHalfIsBrighter(_ image: GrayImage) -> Bool {
        var left = 0, right = 0
        let half = image.width / 2
        for y in 0..<image.height {
            let row = y * image.width
            for x in 0..<half { left += Int(image.pixels[row + x]) }
            for x in (image.width - half)..<image.width { right += Int(image.pixels[row + x]) }
        }
        return right > left
    }

    /// Whether an image must be mirrored to face the canonical way: by laterality when known
    /// (right breasts are mirrored), else by which half holds the (brighter) breast.
    public static func needsFlip(_ image: GrayImage, laterality: Laterality?) -> Bool {
        if let laterality { return laterality == .right }
        return rightHalfIsBrighter(image)
    }
}

extension GrayImage {
    /// Mirrored left–right.
    public func flippedHorizontally() -> GrayImage {
        var out = self
        for y in 0..<height {
            let row = y * width
            for x in 0..<width { out.pixels[row + x] = pixels[row + width - 1 - x] }
        }
        return out
    }
}
