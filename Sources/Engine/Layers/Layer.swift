/// A building block of a network (Swift for TensorFlow's shape): parameters are
/// properties, the forward pass is `callAsFunction`, and `parameters` lists every
/// tensor of the checkpoint contract under its full name.
public protocol Layer: AnyObject {
    /// Every parameter and buffer, in a stable order, with names as in `reference/models.py`.
    var parameters: [Parameter] { get }
    func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable
}

/// PyTorch's default initialisation for conv and linear layers (kaiming-uniform with
/// a = √5): weight and bias ~ U(−1/√fanIn, 1/√fanIn), where fanIn = shape[1]·kh·kw
/// (for a transposed conv's `[in, out, kh, kw]` that is out·kh·kw, as PyTorch computes it).
func defaultInitialization(_ shape: [Int], fanIn: Int, _ random: inout SeededGenerator) -> HostTensor {
    let bound = 1 / Float(fanIn).squareRoot()
    return random.uniformTensor(shape, -bound, bound)
}

/// Joins a layer's name with a tensor name: `join("encoder.conv1", "weight")`.
func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }
