/// Marker codes (the byte after 0xFF) of ITU T.81 table B.1.
enum JPEGMarker {
    static let baselineDCT: UInt8 = 0xC0
    static let defineHuffmanTables: UInt8 = 0xC4
    static let defineArithmeticConditioning: UInt8 = 0xCC
    static let restart0: UInt8 = 0xD0
    static let restart7: UInt8 = 0xD7
    static let startOfImage: UInt8 = 0xD8
    static let endOfImage: UInt8 = 0xD9
    static let startOfScan: UInt8 = 0xDA
    static let defineQuantizationTables: UInt8 = 0xDB
    static let defineNumberOfLines: UInt8 = 0xDC
    static let defineRestartInterval: UInt8 = 0xDD
    static let defineHierarchicalProgression: UInt8 = 0xDE
    static let expandReference: UInt8 = 0xDF
    static let temporary: UInt8 = 0x01

    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        marker >= 0xC0 && marker <= 0xCF && marker != defineHuffmanTables
            && marker != 0xC8 && marker != defineArithmeticConditioning
    }

    static func isRestart(_ marker: UInt8) -> Bool { marker >= restart0 && marker <= restart7 }

    /// Markers without a length field.
    static func isStandalone(_ marker: UInt8) -> Bool {
        isRestart(marker) || marker == startOfImage || marker == endOfImage || marker == temporary
    }
}
