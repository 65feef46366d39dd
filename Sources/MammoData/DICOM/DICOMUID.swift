import Foundation

/// UIDs under the "2.25" root (PS3.5 B.2): "2.25." followed by a UUID as one decimal integer,
/// which needs no registered organisation root and is unique by construction.
enum DICOMUID {
    static func make() -> String { make(from: UUID()) }

    static func make(from uuid: UUID) -> String {
        var digits = withUnsafeBytes(of: uuid.uuid) { Array($0) }  // 128-bit big-endian integer
        var decimal: [Character] = []
        // Schoolbook division by 10, most significant byte first, until the number is zero.
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in digits.indices {
                let value = remainder << 8 | Int(digits[index])
                digits[index] = UInt8(value / 10)
                remainder = value % 10
            }
            decimal.append(Character(String(remainder)))
        }
        return "2.25." + (decimal.isEmpty ? "0" : String(decimal.reversed()))
    }

    /// This package's implementation class UID (0002,0012), fixed.
    static let implementationClass = make(from: UUID(uuidString: "5E0C6A1B-2F3D-4C8E-9A71-3D2B6F4E8C10")!)
    static let implementationVersionName = "MAMMOSEG_0_1"
    /// Digital Mammography X-Ray Image Storage - For Presentation.
    static let digitalMammographyForPresentation = "1.2.840.10008.5.1.4.1.1.1.2"
}
