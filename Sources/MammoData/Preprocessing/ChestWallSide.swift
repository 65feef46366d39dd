/// Which image edge the chest wall is turned to in prepared images. `left` is the importers'
/// convention (`PreparedDataset.orientation`, `Orientation`): right breasts are mirrored.
public enum ChestWallSide: String, Codable, Sendable, CaseIterable {
    case left, right
}
