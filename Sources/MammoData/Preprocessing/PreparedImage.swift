/// One image after `Preprocessing`: the network's input, its breast mask, the source-sized
/// breast mask (what `mapBack` keeps) and the transform between the two grids.
public struct PreparedImage: Sendable {
    /// 16-bit, chest wall on the policy's side, 0 outside the breast.
    public var image: GrayImage
    public var breastMask: BinaryMask
    public var sourceBreastMask: BinaryMask
    public var transform: PreprocessingTransform

    /// A map over `image`'s grid in the source's grid, 0 outside the source's breast.
    public func mapBack(_ map: [Float]) -> [Float] {
        transform.mapBack(map, sourceBreastMask: sourceBreastMask)
    }
}
