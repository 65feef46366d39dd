import Engine
/// Splits by patient: a seeded, deterministic assignment of patients to train/val/test,
/// and the invariant every importer checks before writing a manifest — no patient in two splits.
public enum PatientSplit {
    /// Assigns each distinct patient to a split. The patients are sorted, shuffled with
    /// `SeededGenerator(seed)`, and the first `round(n·valFraction)` go to val, the next
    /// `round(n·testFraction)` to test (at least one each when the fraction is above 0 and
    /// n ≥ 3), the rest to train. Same inputs → same assignment.
    public static func assign(patients: some Sequence<String>, valFraction: Double, testFraction: Double,
                              seed: UInt64) -> [String: Split] {
        var ordered = Array(Set(patients)).sorted()
        var generator = SeededGenerator(seed: seed, keys: SeededGenerator.hash("patient-split"))
        generator.shuffle(&ordered)
        // A non-zero fraction gets at least one patient once there are three (one per split),
        // so small demo datasets still have a validation and a test set.
        func share(_ fraction: Double) -> Int {
            let count = Int((Double(ordered.count) * fraction).rounded())
            return fraction > 0 && ordered.count >= 3 ? max(1, count) : count
        }
        let valCount = share(valFraction)
        let testCount = min(ordered.count - valCount, share(testFraction))
        var result: [String: Split] = [:]
        for (index, patient) in ordered.enumerated() {
            result[patient] = index < valCount ? .val : (index < valCount + testCount ? .test : .train)
        }
        return result
    }

    /// Carves a validation set out of training patients (an official split keeps its test set):
    /// returns the patients that move from train to val.
    public static func carveValidation(from trainPatients: some Sequence<String>, fraction: Double,
                                       seed: UInt64) -> Set<String> {
        let assignment = assign(patients: trainPatients, valFraction: fraction, testFraction: 0, seed: seed)
        return Set(assignment.filter { $0.value == .val }.keys)
    }

    /// Throws if any patient appears in more than one split, naming the patient and the splits.
    public static func checkDisjoint(_ entries: [DatasetEntry], file: String) throws {
        var splitOf: [String: (Split, String)] = [:]
        for entry in entries {
            if let (split, firstID) = splitOf[entry.patientID], split != entry.split {
                throw DataError(file: file, "patient '\(entry.patientID)' is in \(split.rawValue) (\(firstID)) and \(entry.split.rawValue) (\(entry.id)); a patient must be in one split only")
            }
            if splitOf[entry.patientID] == nil { splitOf[entry.patientID] = (entry.split, entry.id) }
        }
    }
}
