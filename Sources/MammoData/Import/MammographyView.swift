/// Mammography views (DICOM CID 4014 "View for Mammography") and their usual abbreviations,
/// recognised from the code of a ViewCodeSequence (SNOMED-RT `R-…` or SNOMED CT), from its
/// meaning, or from a name token.
enum MammographyView {
    /// Abbreviation by code value: SNOMED-RT (DCM-era) and SNOMED CT identifiers.
    static let byCode: [String: String] = [
        "R-10242": "CC", "399162004": "CC",
        "R-10226": "MLO", "399368009": "MLO",
        "R-10224": "ML", "399260004": "ML",
        "R-10228": "LM", "399352003": "LM",
        "R-10230": "LMO", "399099002": "LMO",
        "R-10244": "FB", "399196006": "FB",
        "R-1024A": "XCCL", "399192003": "XCCL",
        "R-1024B": "XCCM", "399101009": "XCCM",
    ]

    /// Abbreviation by code meaning, lowercased with hyphens and spaces removed.
    static let byMeaning: [String: String] = [
        "craniocaudal": "CC", "mediolateraloblique": "MLO", "mediolateral": "ML", "lateromedial": "LM",
        "lateromedialoblique": "LMO", "caudocranial(frombelow)": "FB", "craniocaudalexaggeratedlaterally": "XCCL",
        "craniocaudalexaggeratedmedially": "XCCM",
    ]

    /// The view tokens a file or patient name may carry (`P_00001_LEFT_CC`, `x_R_ML_y`).
    static let nameTokens: Set<String> = ["CC", "MLO", "ML", "LM", "LMO", "XCCL", "XCCM", "FB"]

    static func abbreviation(codeValue: String?, meaning: String?) -> String? {
        if let code = codeValue?.uppercased(), let view = byCode[code] { return view }
        guard let meaning else { return nil }
        let key = meaning.lowercased().filter { $0 != "-" && $0 != " " }
        return byMeaning[key]
    }
}
